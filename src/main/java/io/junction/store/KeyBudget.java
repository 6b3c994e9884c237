package io.junction.store;

/** One budget of a virtual key: at most {@code usd} per {@code period}. */
public record KeyBudget(BudgetPeriod period, double usd) {}
