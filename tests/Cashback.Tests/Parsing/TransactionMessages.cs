using System.Text;

namespace Cashback.Tests.Parsing;

/// <summary>Builds <c>transactions</c> values from the SPEC §2 example, with fields replaced or removed.</summary>
internal static class TransactionMessages
{
    public const string SpecExample =
        """{"transaction_id": "1", "customer_id": "123", "amount": 20, "transaction_timestamp": "2023-04-21T09:30:00Z", "merchant_id": "MerchantX"}""";

    private static readonly (string Name, string Json)[] ExampleFields =
    [
        ("transaction_id", "\"1\""),
        ("customer_id", "\"123\""),
        ("amount", "20"),
        ("transaction_timestamp", "\"2023-04-21T09:30:00Z\""),
        ("merchant_id", "\"MerchantX\""),
    ];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Example() => Utf8(SpecExample);

    /// <summary>The example with each given field set to the raw JSON given (added if new), or removed when it is null.</summary>
    public static byte[] ExampleWith(params (string Name, string? Json)[] changes) => Utf8(ExampleJsonWith(changes));

    public static string ExampleJsonWith(params (string Name, string? Json)[] changes)
    {
        var fields = ExampleFields.Select(field => (field.Name, (string?)field.Json)).ToList();
        foreach (var (name, json) in changes)
        {
            var index = fields.FindIndex(field => field.Name == name);
            if (index >= 0)
                fields[index] = (name, json);
            else
                fields.Add((name, json));
        }

        return "{" + string.Join(", ", fields.Where(field => field.Item2 is not null).Select(field => $"\"{field.Name}\": {field.Item2}")) + "}";
    }

    public static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
