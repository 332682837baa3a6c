package dev.berth.billing.invoicing;

import java.time.YearMonth;
import java.util.UUID;

/** Billed segments of one group, one usage month and one price, summed. */
public record LineQuantity(
    String subscriptionId,
    YearMonth usageMonth,
    String resourceGroup,
    String groupName,
    UUID priceId,
    long seconds,
    long milliCpuSeconds,
    long mibSeconds) {}
