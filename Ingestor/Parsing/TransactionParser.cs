using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Ingestor.Parsing;

/// <summary>
/// Turns one record of the <c>transactions</c> topic into a <see cref="CardTransaction"/> or the reason it goes to
/// the dead-letter topic (SPEC §2, §5). Runs for every message, so it reads the bytes once with
/// <see cref="Utf8JsonReader"/>, and it never throws: whatever it is given, it returns a result.
/// </summary>
/// <remarks>
/// Choices where SPEC §2 leaves room: a known field that appears twice is <c>invalid_json</c> (which value a producer
/// meant is unknowable); <c>null</c> counts as absent (so a required field is missing, an optional one takes its
/// default); lengths count Unicode code points, as PostgreSQL does; U+0000 is rejected in every text field because
/// PostgreSQL text cannot store it; a leading UTF-8 byte order mark is ignored; <c>original_transaction_id</c> is
/// dropped from purchases; when several fields are wrong, the first in SPEC §2's field order is reported, and the key
/// is checked last.
/// </remarks>
public static class TransactionParser
{
    public const int MaxValueBytes = 64 * 1024;
    public const int MaxIdLength = 128;
    public const int MaxMerchantIdLength = 256;
    public const string DefaultCurrency = "USD";

    /// <summary>Starts the detail of a failure the parser did not foresee (a bug, not a producer's fault).</summary>
    public const string UnexpectedFailureDetail = "value could not be parsed";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static TransactionParseResult Parse(byte[]? key, byte[]? value)
    {
        try
        {
            return ParseValidated(key, value);
        }
        catch (JsonException exception)
        {
            return Invalid(ParseErrorCodes.InvalidJson, $"value is not valid JSON: {exception.Message}");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader only reports this here for a string escape that is not valid Unicode, e.g. "\uD800".
            return Invalid(ParseErrorCodes.InvalidJson, "value contains a string that is not valid Unicode");
        }
#pragma warning disable CA1031 // A throw here would stall the partition; any unforeseen failure is still bad input.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Invalid(ParseErrorCodes.InvalidJson, $"{UnexpectedFailureDetail}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private static TransactionParseResult ParseValidated(byte[]? key, byte[]? value)
    {
        if (value is null || value.Length == 0)
            return Invalid(ParseErrorCodes.InvalidJson, "value is empty");
        if (value.Length > MaxValueBytes)
            return Invalid(ParseErrorCodes.TooLarge, $"value is {value.Length} bytes; the limit is {MaxValueBytes}");

        ReadOnlySpan<byte> json = value;
        if (json.StartsWith("\uFEFF"u8))
            json = json[3..];

        // Utf8JsonReader does not check the bytes of strings it skips, so check all of them up front (vectorised).
        if (!Utf8.IsValid(json))
            return Invalid(ParseErrorCodes.InvalidJson, "value is not valid UTF-8");

        var fields = new RawFields();
        var structureError = ReadFields(json, ref fields);
        return structureError ?? Validate(key, in fields);
    }

    private static TransactionParseResult? ReadFields(ReadOnlySpan<byte> json, ref RawFields fields)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return Invalid(ParseErrorCodes.InvalidJson, "value must be a JSON object");

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Identify(ref reader);
            reader.Read();

            if (name == FieldName.Unknown)
            {
                reader.Skip();
                continue;
            }

            if (!fields.MarkSeen(name))
                return Invalid(ParseErrorCodes.InvalidJson, $"field {FieldNames.Of(name)} appears more than once");

            Capture(name, ref reader, ref fields);
        }

        // The reader throws on anything but white space after the object, so this only confirms the end.
        if (reader.Read())
            return Invalid(ParseErrorCodes.InvalidJson, "value must be a single JSON object");

        return null;
    }

    private static FieldName Identify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals(FieldNames.TransactionId))
            return FieldName.TransactionId;
        if (reader.ValueTextEquals(FieldNames.CustomerId))
            return FieldName.CustomerId;
        if (reader.ValueTextEquals(FieldNames.Amount))
            return FieldName.Amount;
        if (reader.ValueTextEquals(FieldNames.TransactionTimestamp))
            return FieldName.TransactionTimestamp;
        if (reader.ValueTextEquals(FieldNames.MerchantId))
            return FieldName.MerchantId;
        if (reader.ValueTextEquals(FieldNames.Currency))
            return FieldName.Currency;
        if (reader.ValueTextEquals(FieldNames.Type))
            return FieldName.Type;
        if (reader.ValueTextEquals(FieldNames.OriginalTransactionId))
            return FieldName.OriginalTransactionId;
        return FieldName.Unknown;
    }

    private static void Capture(FieldName name, ref Utf8JsonReader reader, ref RawFields fields)
    {
        var kind = reader.TokenType;
        switch (name)
        {
            case FieldName.Amount:
                fields.Amount = new RawField(kind, null);
                if (kind is JsonTokenType.Number or JsonTokenType.String)
                    fields.AmountAccepted = AmountParser.TryParse(UnescapedValue(ref reader), out fields.AmountValue, out fields.AmountFailure);
                break;
            case FieldName.TransactionTimestamp:
                fields.TransactionTimestamp = new RawField(kind, null);
                if (kind is JsonTokenType.String)
                    fields.TimestampAccepted = Rfc3339TimestampParser.TryParse(UnescapedValue(ref reader), out fields.TimestampValue, out fields.TimestampFailure);
                break;
            default:
                fields.Set(name, new RawField(kind, kind == JsonTokenType.String ? reader.GetString() : null));
                break;
        }

        if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
            reader.Skip();
    }

    private static ReadOnlySpan<byte> UnescapedValue(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
            return reader.ValueSpan;

        var buffer = new byte[reader.ValueSpan.Length];
        return buffer.AsSpan(0, reader.CopyString(buffer));
    }

    private static TransactionParseResult Validate(byte[]? key, in RawFields fields)
    {
        if (RequireText(fields.TransactionId, "transaction_id", MaxIdLength, ParseErrorCodes.InvalidTransactionId, out var transactionId) is { } error)
            return error;

        if (RequireText(fields.CustomerId, "customer_id", MaxIdLength, ParseErrorCodes.InvalidCustomerId, out var customerId) is { } customerIdError)
            return customerIdError;
        if (!CustomerId.IsValid(customerId))
            return Invalid(ParseErrorCodes.InvalidCustomerId, "customer_id may contain only letters, digits and . _ : @ -");

        if (fields.Amount.IsAbsent)
            return Missing("amount");
        if (fields.Amount.Kind is not (JsonTokenType.Number or JsonTokenType.String))
            return Invalid(ParseErrorCodes.InvalidAmount, "amount must be a JSON number or a decimal string");
        if (!fields.AmountAccepted)
            return Invalid(ParseErrorCodes.InvalidAmount, fields.AmountFailure!);

        if (fields.TransactionTimestamp.IsAbsent)
            return Missing("transaction_timestamp");
        if (fields.TransactionTimestamp.Kind != JsonTokenType.String)
            return Invalid(ParseErrorCodes.InvalidTimestamp, "transaction_timestamp must be a string");
        if (!fields.TimestampAccepted)
            return Invalid(ParseErrorCodes.InvalidTimestamp, fields.TimestampFailure!);

        if (RequireText(fields.MerchantId, "merchant_id", MaxMerchantIdLength, ParseErrorCodes.InvalidMerchantId, out var merchantId) is { } merchantIdError)
            return merchantIdError;

        if (ReadCurrency(fields.Currency, out var currency) is { } currencyError)
            return currencyError;

        if (ReadType(fields.Type, out var type) is { } typeError)
            return typeError;

        string? originalTransactionId = null;
        if (type == TransactionType.Refund
            && RequireText(fields.OriginalTransactionId, "original_transaction_id", MaxIdLength, ParseErrorCodes.InvalidOriginalTransactionId, out originalTransactionId, requiredFor: "a refund") is { } originalError)
        {
            return originalError;
        }

        if (!KeyMatches(key, customerId))
            return Invalid(ParseErrorCodes.KeyMismatch, $"message key does not match customer_id \"{customerId}\"");

        return TransactionParseResult.Valid(new CardTransaction(
            transactionId,
            customerId,
            fields.AmountValue,
            fields.TimestampValue,
            merchantId,
            currency,
            type,
            originalTransactionId));
    }

    /// <returns>The rejection, or null when <paramref name="text"/> holds the field's valid value.</returns>
    private static TransactionParseResult? RequireText(
        RawField field,
        string fieldName,
        int maxLength,
        string invalidCode,
        out string text,
        string? requiredFor = null)
    {
        text = string.Empty;
        if (field.IsAbsent)
        {
            return requiredFor is null
                ? Missing(fieldName)
                : Invalid(ParseErrorCodes.MissingField, $"{fieldName} is required for {requiredFor}");
        }

        if (field.Text is null)
            return Invalid(invalidCode, $"{fieldName} must be a string");
        if (!HasLengthWithin(field.Text, maxLength))
            return Invalid(invalidCode, $"{fieldName} must be 1 to {maxLength} characters long");
        if (field.Text.Contains('\0', StringComparison.Ordinal))
            return Invalid(invalidCode, $"{fieldName} must not contain the NUL character");

        text = field.Text;
        return null;
    }

    private static TransactionParseResult? ReadCurrency(RawField field, out string currency)
    {
        currency = DefaultCurrency;
        if (field.IsAbsent)
            return null;

        var code = field.Text;
        if (code is not { Length: 3 } || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]) || !char.IsAsciiLetter(code[2]))
            return Invalid(ParseErrorCodes.InvalidCurrency, "currency must be a 3-letter ISO 4217 code, e.g. USD");

        currency = code.Equals(DefaultCurrency, StringComparison.OrdinalIgnoreCase) ? DefaultCurrency : code.ToUpperInvariant();
        return null;
    }

    private static TransactionParseResult? ReadType(RawField field, out TransactionType type)
    {
        type = TransactionType.Purchase;
        if (field.IsAbsent || string.Equals(field.Text, "purchase", StringComparison.OrdinalIgnoreCase))
            return null;

        if (string.Equals(field.Text, "refund", StringComparison.OrdinalIgnoreCase))
        {
            type = TransactionType.Refund;
            return null;
        }

        return Invalid(ParseErrorCodes.InvalidType, "type must be \"purchase\" or \"refund\"");
    }

    // Lengths are in code points; the reader has already rejected unpaired surrogates, so each high surrogate
    // starts a pair that counts once.
    private static bool HasLengthWithin(string text, int maxLength)
    {
        if (text.Length == 0)
            return false;
        if (text.Length <= maxLength)
            return true;
        if (text.Length > 2 * maxLength)
            return false;

        var codePoints = 0;
        foreach (var character in text)
        {
            if (!char.IsLowSurrogate(character))
                codePoints++;
        }

        return codePoints <= maxLength;
    }

    // customer_id is ASCII by now, so a key matches exactly when its bytes are those characters; a key that is not
    // valid UTF-8 can never match.
    private static bool KeyMatches(byte[]? key, string customerId)
    {
        if (key is null || key.Length == 0)
            return true;
        if (key.Length != customerId.Length)
            return false;

        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] != customerId[i])
                return false;
        }

        return true;
    }

    private static TransactionParseResult Missing(string fieldName) =>
        Invalid(ParseErrorCodes.MissingField, $"{fieldName} is required");

    private static TransactionParseResult Invalid(string code, string detail) => TransactionParseResult.Invalid(code, detail);

    private enum FieldName
    {
        Unknown,
        TransactionId,
        CustomerId,
        Amount,
        TransactionTimestamp,
        MerchantId,
        Currency,
        Type,
        OriginalTransactionId,
    }

    private static class FieldNames
    {
        public static ReadOnlySpan<byte> TransactionId => "transaction_id"u8;
        public static ReadOnlySpan<byte> CustomerId => "customer_id"u8;
        public static ReadOnlySpan<byte> Amount => "amount"u8;
        public static ReadOnlySpan<byte> TransactionTimestamp => "transaction_timestamp"u8;
        public static ReadOnlySpan<byte> MerchantId => "merchant_id"u8;
        public static ReadOnlySpan<byte> Currency => "currency"u8;
        public static ReadOnlySpan<byte> Type => "type"u8;
        public static ReadOnlySpan<byte> OriginalTransactionId => "original_transaction_id"u8;

        public static string Of(FieldName name) => name switch
        {
            FieldName.TransactionId => "transaction_id",
            FieldName.CustomerId => "customer_id",
            FieldName.Amount => "amount",
            FieldName.TransactionTimestamp => "transaction_timestamp",
            FieldName.MerchantId => "merchant_id",
            FieldName.Currency => "currency",
            FieldName.Type => "type",
            FieldName.OriginalTransactionId => "original_transaction_id",
            _ => "unknown",
        };
    }

    /// <summary>A known field as it appeared: its JSON token kind (None when absent) and, for strings, the text.</summary>
    private readonly record struct RawField(JsonTokenType Kind, string? Text)
    {
        public bool IsAbsent => Kind is JsonTokenType.None or JsonTokenType.Null;
    }

    private struct RawFields
    {
        public RawField TransactionId;
        public RawField CustomerId;
        public RawField Amount;
        public RawField TransactionTimestamp;
        public RawField MerchantId;
        public RawField Currency;
        public RawField Type;
        public RawField OriginalTransactionId;

        public bool AmountAccepted;
        public decimal AmountValue;
        public string? AmountFailure;

        public bool TimestampAccepted;
        public DateTimeOffset TimestampValue;
        public string? TimestampFailure;

        private int _seen;

        public bool MarkSeen(FieldName name)
        {
            var bit = 1 << (int)name;
            if ((_seen & bit) != 0)
                return false;
            _seen |= bit;
            return true;
        }

        public void Set(FieldName name, RawField field)
        {
            switch (name)
            {
                case FieldName.TransactionId: TransactionId = field; break;
                case FieldName.CustomerId: CustomerId = field; break;
                case FieldName.MerchantId: MerchantId = field; break;
                case FieldName.Currency: Currency = field; break;
                case FieldName.Type: Type = field; break;
                case FieldName.OriginalTransactionId: OriginalTransactionId = field; break;
            }
        }
    }
}
