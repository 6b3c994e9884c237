package io.junction.store;

/** Which spend counter: a key's spend in one period (start 0 for its total). */
public record SpendKey(String keyId, BudgetPeriod period, long periodStartMs) {}
