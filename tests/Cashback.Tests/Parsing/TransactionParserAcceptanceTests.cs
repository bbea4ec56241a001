using System.Globalization;
using System.Text;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Ingestor.Parsing;
using static Cashback.Tests.Parsing.TransactionMessages;

namespace Cashback.Tests.Parsing;

public sealed class TransactionParserAcceptanceTests
{
    [Fact]
    public void the_spec_example_parses_with_usd_and_purchase_defaults()
    {
        var result = TransactionParser.Parse(Utf8("123"), Example());

        Assert.True(result.IsValid, result.ToString());
        Assert.Null(result.Error);
        Assert.Equal(
            new CardTransaction(
                TransactionId: "1",
                CustomerId: "123",
                Amount: 20m,
                Timestamp: new DateTimeOffset(2023, 4, 21, 9, 30, 0, TimeSpan.Zero),
                MerchantId: "MerchantX",
                Currency: "USD",
                Type: TransactionType.Purchase,
                OriginalTransactionId: null),
            result.Transaction);
    }

    [Fact]
    public void an_amount_sent_as_a_decimal_string_keeps_its_value_and_its_two_decimals()
    {
        var result = TransactionParser.Parse(null, ExampleWith(("amount", "\"27.50\"")));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(27.50m, result.Transaction.Amount);
        Assert.Equal("27.50", result.Transaction.Amount.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("0.0001", "0.0001")]
    [InlineData("\"0.0001\"", "0.0001")]
    [InlineData("1000000000", "1000000000")]
    [InlineData("\"1000000000\"", "1000000000")]
    [InlineData("1000000000.0000", "1000000000.0000")]
    [InlineData("999999999.9999", "999999999.9999")]
    [InlineData("\"20.10000\"", "20.1000")]
    [InlineData("20.100000000000000000000000000000000000", "20.1000")]
    [InlineData("15.55", "15.55")]
    [InlineData("\"007.50\"", "7.50")]
    [InlineData("2e1", "20")]
    [InlineData("1.5E+1", "15")]
    [InlineData("1E9", "1000000000")]
    [InlineData("100e-6", "0.0001")]
    [InlineData("\"2.5e-3\"", "0.0025")]
    [InlineData("\"\\u0032\\u0030\"", "20")]
    public void amounts_within_the_rules_are_read_exactly(string amountJson, string expected)
    {
        var result = TransactionParser.Parse(null, ExampleWith(("amount", amountJson)));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(expected, result.Transaction.Amount.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void a_timestamp_keeps_the_point_of_sale_offset()
    {
        var result = TransactionParser.Parse(null, ExampleWith(("transaction_timestamp", "\"2023-04-21T23:30:00-05:00\"")));

        Assert.True(result.IsValid, result.ToString());
        var timestamp = result.Transaction.Timestamp;
        Assert.Equal(TimeSpan.FromHours(-5), timestamp.Offset);
        Assert.Equal(new DateTime(2023, 4, 21, 23, 30, 0), timestamp.DateTime);
        Assert.Equal(DayOfWeek.Friday, timestamp.DayOfWeek);
        Assert.Equal(new DateTime(2023, 4, 22, 4, 30, 0, DateTimeKind.Utc), timestamp.UtcDateTime);
    }

    [Theory]
    [InlineData("2023-04-22T01:00:00+02:00", 2023, 4, 22, 1, 0, 0, 0L, 120)]
    [InlineData("2023-04-21T09:30:00.5Z", 2023, 4, 21, 9, 30, 0, 5_000_000L, 0)]
    [InlineData("2023-04-21T09:30:00.123456789+05:30", 2023, 4, 21, 9, 30, 0, 1_234_567L, 330)]
    [InlineData("2023-04-21t09:30:00z", 2023, 4, 21, 9, 30, 0, 0L, 0)]
    [InlineData("2023-04-21T09:30:00-00:00", 2023, 4, 21, 9, 30, 0, 0L, 0)]
    [InlineData("2024-02-29T23:59:59+14:00", 2024, 2, 29, 23, 59, 59, 0L, 840)]
    [InlineData("2016-12-31T23:59:60Z", 2016, 12, 31, 23, 59, 59, 9_999_999L, 0)]
    public void rfc_3339_timestamps_are_read_with_their_offset(
        string text, int year, int month, int day, int hour, int minute, int second, long fractionTicks, int offsetMinutes)
    {
        var result = TransactionParser.Parse(null, ExampleWith(("transaction_timestamp", JsonString(text))));

        Assert.True(result.IsValid, result.ToString());
        var expected = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(fractionTicks), TimeSpan.FromMinutes(offsetMinutes));
        Assert.Equal(expected, result.Transaction.Timestamp);
        Assert.Equal(expected.Offset, result.Transaction.Timestamp.Offset);
    }

    [Theory]
    [InlineData("\"usd\"", "USD")]
    [InlineData("\"EUR\"", "EUR")]
    [InlineData("\"gBp\"", "GBP")]
    [InlineData("null", "USD")]
    public void currency_is_upper_cased_and_defaults_to_usd(string currencyJson, string expected)
    {
        var result = TransactionParser.Parse(null, ExampleWith(("currency", currencyJson)));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(expected, result.Transaction.Currency);
    }

    [Theory]
    [InlineData("\"purchase\"", TransactionType.Purchase)]
    [InlineData("\"PURCHASE\"", TransactionType.Purchase)]
    [InlineData("null", TransactionType.Purchase)]
    [InlineData("\"refund\"", TransactionType.Refund)]
    [InlineData("\"Refund\"", TransactionType.Refund)]
    public void type_is_read_case_insensitively(string typeJson, TransactionType expected)
    {
        var result = TransactionParser.Parse(null, ExampleWith(("type", typeJson), ("original_transaction_id", "\"0\"")));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(expected, result.Transaction.Type);
    }

    [Fact]
    public void a_refund_carries_the_purchase_it_refunds()
    {
        var result = TransactionParser.Parse(null, ExampleWith(("transaction_id", "\"2\""), ("type", "\"refund\""), ("original_transaction_id", "\"1\"")));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(TransactionType.Refund, result.Transaction.Type);
        Assert.Equal("1", result.Transaction.OriginalTransactionId);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("5")]
    [InlineData("\"\"")]
    public void a_purchase_ignores_any_original_transaction_id(string originalJson)
    {
        var result = TransactionParser.Parse(null, ExampleWith(("original_transaction_id", originalJson)));

        Assert.True(result.IsValid, result.ToString());
        Assert.Null(result.Transaction.OriginalTransactionId);
    }

    [Fact]
    public void unknown_fields_of_any_shape_are_ignored()
    {
        var result = TransactionParser.Parse(null, ExampleWith(
            ("channel", "\"pos\""),
            ("nested", """{"transaction_id": 5, "deep": [[{"amount": -1}]]}"""),
            ("list", "[1, 2, \"three\"]"),
            ("flag", "true"),
            ("nothing", "null")));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("1", result.Transaction.TransactionId);
        Assert.Equal(20m, result.Transaction.Amount);
    }

    [Fact]
    public void fields_may_come_in_any_order_and_with_escaped_names()
    {
        var json = """{"merchant_id": "MerchantX", "amount": 20, "transaction\u005fid": "1", "transaction_timestamp": "2023-04-21T09:30:00Z", "customer_id": "123"}""";

        var result = TransactionParser.Parse(null, Utf8(json));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("1", result.Transaction.TransactionId);
    }

    [Fact]
    public void merchant_id_is_kept_exactly_as_sent()
    {
        var result = TransactionParser.Parse(null, ExampleWith(("merchant_id", "\"  Merchant X\\t\"")));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("  Merchant X\t", result.Transaction.MerchantId);
    }

    [Fact]
    public void identifiers_may_use_every_permitted_character_and_full_length()
    {
        var customerId = "Aa0._:@-" + new string('z', 120);
        var transactionId = new string('t', 127) + "é";
        var merchantId = string.Concat(Enumerable.Repeat("🛒", 256));

        var result = TransactionParser.Parse(Utf8(customerId), ExampleWith(
            ("transaction_id", JsonString(transactionId)),
            ("customer_id", JsonString(customerId)),
            ("merchant_id", JsonString(merchantId))));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(customerId, result.Transaction.CustomerId);
        Assert.Equal(transactionId, result.Transaction.TransactionId);
        Assert.Equal(merchantId, result.Transaction.MerchantId);
    }

    [Fact]
    public void a_value_of_exactly_64_kib_is_parsed()
    {
        var value = PaddedExample(TransactionParser.MaxValueBytes);

        var result = TransactionParser.Parse(null, value);

        Assert.Equal(65_536, value.Length);
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void a_utf8_byte_order_mark_before_the_object_is_ignored()
    {
        byte[] value = [0xEF, 0xBB, 0xBF, .. Example()];

        var result = TransactionParser.Parse(null, value);

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("123")]
    public void a_missing_empty_or_matching_key_is_accepted(string? key)
    {
        var result = TransactionParser.Parse(key is null ? null : Utf8(key), Example());

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("123", result.Transaction.CustomerId);
    }

    internal static byte[] PaddedExample(int totalBytes)
    {
        var prefix = "{\"padding\": \"";
        var suffix = "\", " + SpecExample[1..];
        var padding = new string('x', totalBytes - Encoding.UTF8.GetByteCount(prefix + suffix));
        return Utf8(prefix + padding + suffix);
    }
}
