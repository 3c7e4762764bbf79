package io.brandscan.push;

import io.brandscan.api.Role;
import io.brandscan.bus.Addresses;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge's rule of who may listen where, and where it finds a token, with bad inputs. */
class BridgeGuardTest {
    private final Principal acme = new Principal("acme", Role.VIEWER, "u1");
    private final Principal admin = new Principal(null, Role.PLATFORM_ADMIN, "op");
    private final Principal acmeAdmin = new Principal("acme", Role.PLATFORM_ADMIN, "op2");

    @Test
    void aClientListensOnlyToItsOwnAddress() {
        assertTrue(BridgeGuard.mayRegister(acme, "brandscan.client.acme.scans"));
        assertFalse(BridgeGuard.mayRegister(acme, "brandscan.client.acme2.scans"));
        assertFalse(BridgeGuard.mayRegister(acme, "brandscan.client.globex.scans"));
        assertFalse(BridgeGuard.mayRegister(acme, "brandscan.client.acme.scans.extra"));
        assertFalse(BridgeGuard.mayRegister(acme, Addresses.SCAN_PROGRESS), "never the platform-wide feed");
        assertFalse(BridgeGuard.mayRegister(acme, Addresses.REGISTRY_PROGRESS));
        assertFalse(BridgeGuard.mayRegister(acme, null));
        assertFalse(BridgeGuard.mayRegister(acme, ""));
    }

    @Test
    void aPlatformAdminGetsTheRegistryFeedButNoClientItDoesNotBelongTo() {
        assertTrue(BridgeGuard.mayRegister(admin, Addresses.REGISTRY_PROGRESS));
        assertFalse(BridgeGuard.mayRegister(admin, Addresses.clientScans("acme")));
        assertFalse(BridgeGuard.mayRegister(admin, Addresses.SCAN_PROGRESS));
        assertTrue(BridgeGuard.mayRegister(acmeAdmin, Addresses.clientScans("acme")));
    }

    @Test
    void tokensAreFoundInTheQueryOrTheRegisterHeaders() {
        assertEquals("t.o.k", BridgeGuard.queryToken("/eventbus/websocket?x=1&access_token=t.o.k"));
        assertEquals("a b", BridgeGuard.queryToken("/eventbus/123/abc/xhr_streaming?access_token=a+b"));
        assertNull(BridgeGuard.queryToken("/eventbus/websocket?access_token="));
        assertNull(BridgeGuard.queryToken("/eventbus/websocket?my_access_token=x"));
        assertNull(BridgeGuard.queryToken("/eventbus/websocket"));
        assertNull(BridgeGuard.queryToken(null));
        assertEquals("abc", BridgeGuard.headerToken(new JsonObject().put("access_token", "abc")));
        assertEquals("abc", BridgeGuard.headerToken(new JsonObject().put("authorization", "bearer abc")));
        assertNull(BridgeGuard.headerToken(new JsonObject().put("Authorization", "Basic abc")));
        assertNull(BridgeGuard.headerToken(new JsonObject().put("Authorization", "Bearer ")));
        assertNull(BridgeGuard.headerToken(new JsonObject().put("access_token", 42)));
        assertNull(BridgeGuard.headerToken(null));
    }
}
