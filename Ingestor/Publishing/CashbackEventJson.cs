using System.Text.Json.Serialization;

namespace Cashback.Ingestor.Publishing;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CashbackEvent))]
public sealed partial class CashbackEventJson : JsonSerializerContext;
