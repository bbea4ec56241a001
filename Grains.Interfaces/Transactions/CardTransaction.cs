namespace Cashback.Grains.Interfaces.Transactions;

/// <summary>A validated card transaction as described in SPEC §2.</summary>
/// <param name="Timestamp">The moment of purchase, keeping the point of sale's UTC offset.</param>
/// <param name="Currency">ISO 4217 code in upper case.</param>
/// <param name="OriginalTransactionId">For refunds: the purchase being refunded.</param>
[GenerateSerializer, Immutable, Alias("cashback.CardTransaction")]
public sealed record CardTransaction(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] DateTimeOffset Timestamp,
    [property: Id(4)] string MerchantId,
    [property: Id(5)] string Currency,
    [property: Id(6)] TransactionType Type,
    [property: Id(7)] string? OriginalTransactionId);
