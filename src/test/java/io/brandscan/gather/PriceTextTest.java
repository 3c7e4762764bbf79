package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Display prices as marketplaces print them, in several locales. */
class PriceTextTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "$1,299.99            | 1299.99",
        "$20.69               | 20.69",
        "$3.79                | 3.79",
        "1299.99              | 1299.99",
        "£12                  | 12",
        "₹56,999              | 56999",
        "¥9,800               | 9800",
        "1.299,99 €           | 1299.99",
        "12,99 €              | 12.99",
        "EUR 1.299            | 1299",
        "1 299,99 €           | 1299.99",
        "CHF 1'299.50         | 1299.50",
        "$1,234,567.89        | 1234567.89",
        "1.234.567,89 zł      | 1234567.89",
        "$12.99 - $15.99      | 12.99",
        "US $0.99             | 0.99",
        "0,5 €                | 0.5",
        "$0.299               | 0.299",
        "R$ 1.299,00          | 1299.00",
        "Price: $45.00.       | 45.00",
    })
    void readsThePrice(String text, String expected) {
        assertEquals(new BigDecimal(expected), PriceText.parse(text).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Free", "See options", "$", "--", "N/A"})
    void textWithoutANumberHasNoPrice(String text) {
        assertTrue(PriceText.parse(text).isEmpty());
    }

    @org.junit.jupiter.api.Test
    void absurdlyLongTextIsNotParsed() {
        assertTrue(PriceText.parse("$" + "9".repeat(200)).isEmpty());
        assertTrue(PriceText.parse(null).isEmpty());
    }
}
