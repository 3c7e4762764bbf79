package io.brandscan.registry;

/**
 * A request to the registry's state owner, as an immutable record on the local event bus. Each
 * maps to one {@link ActiveBrandRegistry} call; the reply is that call's result.
 */
public sealed interface RegistryCommand {
    /** The batch key the command is about, or null for commands about all batches. */
    String brand();

    record Start(String brand, int expectedCount) implements RegistryCommand { }

    record Submit(String brand, StoredResult result) implements RegistryCommand { }

    record Fail(String brand, String url, String error) implements RegistryCommand { }

    record ClaimCommit(String brand) implements RegistryCommand { }

    /** The results from {@code offset} (in arrival order), at most {@code limit} of them. */
    record Results(String brand, int offset, int limit) implements RegistryCommand { }

    record Failures(String brand) implements RegistryCommand { }

    record CommitComplete(String brand, String lease) implements RegistryCommand { }

    record ReleaseLease(String brand, String lease) implements RegistryCommand { }

    record Status(String brand) implements RegistryCommand { }

    record ListBatches(String after, int limit) implements RegistryCommand {
        @Override
        public String brand() {
            return null;
        }
    }

    record Health() implements RegistryCommand {
        @Override
        public String brand() {
            return null;
        }
    }

    /** The registry's totals, the reply to {@link Health}. */
    record Totals(int batches, long results, long bytes, long memoryBudgetBytes, long leased) { }
}
