using Cashback.Ingestor.Parsing;
using static Cashback.Tests.Parsing.TransactionMessages;

namespace Cashback.Tests.Parsing;

public sealed class TransactionParserRejectionTests
{
    [Fact]
    public void a_value_one_byte_over_64_kib_is_too_large()
    {
        var value = TransactionParserAcceptanceTests.PaddedExample(TransactionParser.MaxValueBytes + 1);

        var result = TransactionParser.Parse(null, value);

        AssertRejected(result, ParseErrorCodes.TooLarge);
        Assert.Contains("65537", result.Error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void size_is_checked_before_the_value_is_parsed()
    {
        var garbage = Enumerable.Repeat((byte)0xFF, TransactionParser.MaxValueBytes + 1).ToArray();

        AssertRejected(TransactionParser.Parse(null, garbage), ParseErrorCodes.TooLarge);
    }

    [Fact]
    public void a_null_value_is_invalid_json() => AssertRejected(TransactionParser.Parse(Utf8("123"), null), ParseErrorCodes.InvalidJson);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("[{\"transaction_id\": \"1\"}]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("{")]
    [InlineData("{\"transaction_id\": \"1\"")]
    [InlineData("{\"transaction_id\": }")]
    [InlineData("{\"transaction_id\": \"1\",}")]
    [InlineData("{'transaction_id': '1'}")]
    [InlineData("{\"transaction_id\": \"1\" /* comment */}")]
    [InlineData(TransactionMessages.SpecExample + " trailing")]
    [InlineData(TransactionMessages.SpecExample + TransactionMessages.SpecExample)]
    [InlineData("{\"transaction_id\": \"\\uD800\", \"customer_id\": \"123\"}")]
    public void text_that_is_not_a_single_json_object_is_invalid_json(string text) =>
        AssertRejected(TransactionParser.Parse(null, Utf8(text)), ParseErrorCodes.InvalidJson);

    [Fact]
    public void invalid_utf8_anywhere_in_the_value_is_invalid_json()
    {
        var example = Example();
        byte[] inUnknownField = [.. Utf8("{\"note\": \""), 0xC3, 0x28, .. Utf8("\", "), .. example[1..]];
        byte[] overlongSlash = [.. Utf8("{\"merchant_id\": \""), 0xC0, 0xAF, .. Utf8("\"}")];

        AssertRejected(TransactionParser.Parse(null, inUnknownField), ParseErrorCodes.InvalidJson);
        AssertRejected(TransactionParser.Parse(null, overlongSlash), ParseErrorCodes.InvalidJson);
    }

    [Fact]
    public void a_known_field_sent_twice_is_invalid_json()
    {
        var json = ExampleJsonWith().TrimEnd('}') + ", \"amount\": 30}";

        var result = TransactionParser.Parse(null, Utf8(json));

        AssertRejected(result, ParseErrorCodes.InvalidJson);
        Assert.Contains("amount", result.Error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transaction_id")]
    [InlineData("customer_id")]
    [InlineData("amount")]
    [InlineData("transaction_timestamp")]
    [InlineData("merchant_id")]
    public void a_required_field_that_is_absent_or_null_is_missing(string field)
    {
        var absent = TransactionParser.Parse(null, ExampleWith((field, null)));
        var isNull = TransactionParser.Parse(null, ExampleWith((field, "null")));

        AssertRejected(absent, ParseErrorCodes.MissingField);
        AssertRejected(isNull, ParseErrorCodes.MissingField);
        Assert.Contains(field, absent.Error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("1.0")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[\"1\"]")]
    [InlineData("\"\"")]
    [InlineData("\"a\\u0000b\"")]
    public void a_transaction_id_that_is_not_a_1_to_128_character_string_is_invalid(string json) =>
        AssertRejected(TransactionParser.Parse(null, ExampleWith(("transaction_id", json))), ParseErrorCodes.InvalidTransactionId);

    [Fact]
    public void a_transaction_id_of_129_characters_is_invalid() =>
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("transaction_id", JsonString(new string('9', 129))))),
            ParseErrorCodes.InvalidTransactionId);

    [Theory]
    [InlineData("123")]
    [InlineData("\"\"")]
    [InlineData("\"a b\"")]
    [InlineData("\"acct/1\"")]
    [InlineData("\"kund\u00e9\"")]
    [InlineData("\"123\\n\"")]
    [InlineData("false")]
    public void a_customer_id_outside_the_allowed_alphabet_or_type_is_invalid(string json) =>
        AssertRejected(TransactionParser.Parse(null, ExampleWith(("customer_id", json))), ParseErrorCodes.InvalidCustomerId);

    [Fact]
    public void a_customer_id_of_129_characters_is_invalid() =>
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("customer_id", JsonString(new string('c', 129))))),
            ParseErrorCodes.InvalidCustomerId);

    [Theory]
    [InlineData("0", "greater than 0")]
    [InlineData("\"0\"", "greater than 0")]
    [InlineData("0.0000", "greater than 0")]
    [InlineData("-0", "greater than 0")]
    [InlineData("-1", "greater than 0")]
    [InlineData("\"-27.50\"", "greater than 0")]
    [InlineData("0e999999999999", "greater than 0")]
    [InlineData("1000000000.0001", "must not exceed")]
    [InlineData("\"1000000000.0001\"", "must not exceed")]
    [InlineData("1000000001", "must not exceed")]
    [InlineData("1e10", "must not exceed")]
    [InlineData("1e400", "must not exceed")]
    [InlineData("1e99999999999999999999", "must not exceed")]
    [InlineData("1.23456", "at most 4 fractional digits")]
    [InlineData("\"1.23456\"", "at most 4 fractional digits")]
    [InlineData("0.00001", "at most 4 fractional digits")]
    [InlineData("1e-5", "at most 4 fractional digits")]
    [InlineData("1e-99999999999999999999", "at most 4 fractional digits")]
    [InlineData("\"NaN\"", "decimal number")]
    [InlineData("\"Infinity\"", "decimal number")]
    [InlineData("\"-Infinity\"", "decimal number")]
    [InlineData("\"\"", "decimal number")]
    [InlineData("\" 20\"", "decimal number")]
    [InlineData("\"20 \"", "decimal number")]
    [InlineData("\"+20\"", "decimal number")]
    [InlineData("\"20.\"", "decimal number")]
    [InlineData("\".5\"", "decimal number")]
    [InlineData("\"0x14\"", "decimal number")]
    [InlineData("\"1,000.00\"", "decimal number")]
    [InlineData("\"20e\"", "decimal number")]
    [InlineData("\"\\uff12\\uff10\"", "decimal number")]
    [InlineData("true", "JSON number or a decimal string")]
    [InlineData("[20]", "JSON number or a decimal string")]
    [InlineData("{\"value\": 20}", "JSON number or a decimal string")]
    public void an_amount_outside_the_rules_is_invalid(string json, string detailFragment)
    {
        var result = TransactionParser.Parse(null, ExampleWith(("amount", json)));

        AssertRejected(result, ParseErrorCodes.InvalidAmount);
        Assert.Contains(detailFragment, result.Error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void a_zero_amount_says_it_must_be_greater_than_zero()
    {
        var result = TransactionParser.Parse(null, ExampleWith(("amount", "0")));

        Assert.Equal(new ParseError(ParseErrorCodes.InvalidAmount, "amount must be greater than 0"), result.Error);
    }

    [Theory]
    [InlineData("\"2023-04-21T09:30:00\"")]
    [InlineData("\"2023-04-21\"")]
    [InlineData("\"2023-04-21 09:30:00Z\"")]
    [InlineData("\"2023-04-21T09:30Z\"")]
    [InlineData("\"2023-04-21T09:30:00+0500\"")]
    [InlineData("\"2023-04-21T09:30:00+05\"")]
    [InlineData("\"2023-04-21T09:30:00.Z\"")]
    [InlineData("\"2023-04-21T09:30:00ZZ\"")]
    [InlineData("\"2023-04-21T09:30:00Z \"")]
    [InlineData("\" 2023-04-21T09:30:00Z\"")]
    [InlineData("\"2023-02-29T09:30:00Z\"")]
    [InlineData("\"2023-13-01T09:30:00Z\"")]
    [InlineData("\"2023-04-00T09:30:00Z\"")]
    [InlineData("\"2023-04-21T24:00:00Z\"")]
    [InlineData("\"2023-04-21T09:60:00Z\"")]
    [InlineData("\"2023-04-21T09:30:61Z\"")]
    [InlineData("\"2023-04-21T09:30:00+15:00\"")]
    [InlineData("\"2023-04-21T09:30:00+05:60\"")]
    [InlineData("\"0000-01-01T00:00:00Z\"")]
    [InlineData("\"0001-01-01T00:00:00+01:00\"")]
    [InlineData("\"9999-12-31T23:59:59-01:00\"")]
    [InlineData("\"21/04/2023 09:30\"")]
    [InlineData("\"\"")]
    [InlineData("1682069400")]
    [InlineData("{}")]
    public void a_timestamp_that_is_not_rfc_3339_with_an_offset_is_invalid(string json) =>
        AssertRejected(TransactionParser.Parse(null, ExampleWith(("transaction_timestamp", json))), ParseErrorCodes.InvalidTimestamp);

    [Theory]
    [InlineData("\"\"")]
    [InlineData("7")]
    [InlineData("[\"MerchantX\"]")]
    [InlineData("\"Merchant\\u0000X\"")]
    public void a_merchant_id_that_is_not_a_1_to_256_character_string_is_invalid(string json) =>
        AssertRejected(TransactionParser.Parse(null, ExampleWith(("merchant_id", json))), ParseErrorCodes.InvalidMerchantId);

    [Fact]
    public void a_merchant_id_of_257_characters_is_invalid() =>
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("merchant_id", JsonString(new string('m', 257))))),
            ParseErrorCodes.InvalidMerchantId);

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"US\"")]
    [InlineData("\"USDX\"")]
    [InlineData("\"U$D\"")]
    [InlineData("\"US1\"")]
    [InlineData("\"ÜSD\"")]
    [InlineData("840")]
    [InlineData("true")]
    public void a_currency_that_is_not_three_letters_is_invalid(string json) =>
        AssertRejected(TransactionParser.Parse(null, ExampleWith(("currency", json))), ParseErrorCodes.InvalidCurrency);

    [Theory]
    [InlineData("\"sale\"")]
    [InlineData("\"\"")]
    [InlineData("\"refund \"")]
    [InlineData("1")]
    [InlineData("{}")]
    public void a_type_other_than_purchase_or_refund_is_invalid(string json) =>
        AssertRejected(TransactionParser.Parse(null, ExampleWith(("type", json))), ParseErrorCodes.InvalidType);

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public void a_refund_without_the_original_transaction_id_is_missing_a_field(string? originalJson)
    {
        var result = TransactionParser.Parse(null, ExampleWith(("type", "\"refund\""), ("original_transaction_id", originalJson)));

        AssertRejected(result, ParseErrorCodes.MissingField);
        Assert.Contains("original_transaction_id", result.Error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"\"")]
    [InlineData("[\"1\"]")]
    public void a_refund_with_a_malformed_original_transaction_id_is_invalid(string originalJson) =>
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("type", "\"refund\""), ("original_transaction_id", originalJson))),
            ParseErrorCodes.InvalidOriginalTransactionId);

    [Fact]
    public void a_refund_with_an_original_transaction_id_of_129_characters_is_invalid() =>
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("type", "\"refund\""), ("original_transaction_id", JsonString(new string('1', 129))))),
            ParseErrorCodes.InvalidOriginalTransactionId);

    [Theory]
    [InlineData("456")]
    [InlineData("1234")]
    [InlineData("12")]
    [InlineData("123 ")]
    [InlineData(" 123")]
    public void a_key_that_differs_from_customer_id_is_a_key_mismatch(string key) =>
        AssertRejected(TransactionParser.Parse(Utf8(key), Example()), ParseErrorCodes.KeyMismatch);

    [Fact]
    public void keys_are_compared_ordinally_so_case_matters() =>
        AssertRejected(
            TransactionParser.Parse(Utf8("acct-a"), ExampleWith(("customer_id", "\"ACCT-A\""))),
            ParseErrorCodes.KeyMismatch);

    [Fact]
    public void a_key_that_is_not_utf8_is_a_key_mismatch() =>
        AssertRejected(TransactionParser.Parse([0x31, 0x32, 0xFF], Example()), ParseErrorCodes.KeyMismatch);

    [Fact]
    public void the_first_wrong_field_in_spec_order_is_reported()
    {
        var allWrong = ExampleWith(
            ("transaction_id", "5"),
            ("customer_id", "\"a b\""),
            ("amount", "0"),
            ("transaction_timestamp", "\"yesterday\""),
            ("merchant_id", "\"\""),
            ("currency", "\"dollars\""),
            ("type", "\"sale\""));

        AssertRejected(TransactionParser.Parse(Utf8("other"), allWrong), ParseErrorCodes.InvalidTransactionId);
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("amount", "0"), ("customer_id", null))),
            ParseErrorCodes.MissingField);
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("merchant_id", "1"), ("amount", "\"NaN\""), ("transaction_timestamp", "\"x\""))),
            ParseErrorCodes.InvalidAmount);
        AssertRejected(
            TransactionParser.Parse(null, ExampleWith(("currency", "\"\""), ("merchant_id", null))),
            ParseErrorCodes.MissingField);
        AssertRejected(
            TransactionParser.Parse(Utf8("other"), ExampleWith(("type", "\"refund\""), ("currency", "1"))),
            ParseErrorCodes.InvalidCurrency);
        AssertRejected(
            TransactionParser.Parse(Utf8("other"), ExampleWith(("type", "\"refund\""))),
            ParseErrorCodes.MissingField);
    }

    [Fact]
    public void structural_faults_are_reported_before_any_field()
    {
        var duplicateWithBadFields = Utf8("""{"transaction_id": 5, "amount": 0, "amount": 0}""");

        AssertRejected(TransactionParser.Parse(Utf8("other"), duplicateWithBadFields), ParseErrorCodes.InvalidJson);
    }

    [Fact]
    public void every_error_code_is_reachable_and_carries_a_detail()
    {
        var samples = new (byte[]? Key, byte[]? Value)[]
        {
            (null, TransactionParserAcceptanceTests.PaddedExample(TransactionParser.MaxValueBytes + 1)),
            (null, Utf8("{")),
            (null, ExampleWith(("merchant_id", null))),
            (null, ExampleWith(("transaction_id", "1"))),
            (null, ExampleWith(("customer_id", "\"#1\""))),
            (null, ExampleWith(("amount", "-3"))),
            (null, ExampleWith(("transaction_timestamp", "\"2023-04-21T09:30:00\""))),
            (null, ExampleWith(("merchant_id", "{}"))),
            (null, ExampleWith(("currency", "\"DOLLAR\""))),
            (null, ExampleWith(("type", "\"chargeback\""))),
            (null, ExampleWith(("type", "\"refund\""), ("original_transaction_id", "false"))),
            (Utf8("124"), Example()),
        };

        var errors = samples.Select(sample => TransactionParser.Parse(sample.Key, sample.Value).Error).ToList();

        Assert.All(errors, error => Assert.False(string.IsNullOrWhiteSpace(error?.Detail)));
        Assert.Equal(ParseErrorCodes.All, errors.Select(error => error!.Code));
        Assert.Equal(ParseErrorCodes.All.Count, ParseErrorCodes.All.Distinct().Count());
    }

    private static void AssertRejected(TransactionParseResult result, string expectedCode)
    {
        Assert.False(result.IsValid, $"expected {expectedCode} but the message was accepted: {result}");
        Assert.Null(result.Transaction);
        Assert.Equal(expectedCode, result.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
    }
}
