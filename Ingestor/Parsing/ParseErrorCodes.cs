namespace Cashback.Ingestor.Parsing;

/// <summary>
/// The short codes written to the <c>error</c> header of a dead-lettered message (SPEC §5).
/// They are part of the contract with whoever reads <c>transactions.dlq</c>: never rename one.
/// </summary>
public static class ParseErrorCodes
{
    public const string TooLarge = "too_large";
    public const string InvalidJson = "invalid_json";
    public const string MissingField = "missing_field";
    public const string InvalidTransactionId = "invalid_transaction_id";
    public const string InvalidCustomerId = "invalid_customer_id";
    public const string InvalidAmount = "invalid_amount";
    public const string InvalidTimestamp = "invalid_timestamp";
    public const string InvalidMerchantId = "invalid_merchant_id";
    public const string InvalidCurrency = "invalid_currency";
    public const string InvalidType = "invalid_type";
    public const string InvalidOriginalTransactionId = "invalid_original_transaction_id";
    public const string KeyMismatch = "key_mismatch";

    public static IReadOnlyList<string> All { get; } =
    [
        TooLarge,
        InvalidJson,
        MissingField,
        InvalidTransactionId,
        InvalidCustomerId,
        InvalidAmount,
        InvalidTimestamp,
        InvalidMerchantId,
        InvalidCurrency,
        InvalidType,
        InvalidOriginalTransactionId,
        KeyMismatch,
    ];
}
