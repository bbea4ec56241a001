using System.Text;
using Cashback.Ingestor.Parsing;
using static Cashback.Tests.Parsing.TransactionMessages;

namespace Cashback.Tests.Parsing;

/// <summary>
/// The ingestor calls the parser for every message of the topic, whatever a producer wrote; a throw would stall the
/// partition. These deterministic, seeded inputs stand in for "anything at all".
/// </summary>
public sealed class TransactionParserRobustnessTests
{
    private const int Seed = 20230421;
    private const int Iterations = 3000;

    private static readonly byte[][] ValidMessages =
    [
        Example(),
        ExampleWith(("amount", "\"27.50\""), ("currency", "\"eur\""), ("transaction_timestamp", "\"2023-04-21T23:30:00.125-05:00\"")),
        ExampleWith(("type", "\"refund\""), ("original_transaction_id", "\"0\""), ("amount", "1.5e1")),
        ExampleWith(("note", """{"nested": [1, 2.5, "x\u00e9\ud83d\uded2", null, true]}"""), ("merchant_id", "\"Merchant\\tX\"")),
    ];

    // Bytes that steer mutations towards the interesting corners of JSON and UTF-8.
    private static readonly byte[] InterestingBytes = Encoding.ASCII.GetBytes("{}[]\":,\\-+.eE0123456789 tnfulrsZT\u007f")
        .Concat(new byte[] { 0x00, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF })
        .ToArray();

    [Fact]
    public void random_bytes_always_produce_a_result()
    {
        var random = new Random(Seed);

        for (var i = 0; i < Iterations; i++)
        {
            var value = new byte[random.Next(0, 256)];
            random.NextBytes(value);
            if (i % 2 == 0 && value.Length > 0)
                value[0] = (byte)'{';

            AssertProducesResult(RandomKey(random), value);
        }
    }

    [Fact]
    public void mutated_valid_messages_always_produce_a_result()
    {
        var random = new Random(Seed);
        var accepted = 0;

        for (var i = 0; i < Iterations; i++)
        {
            var value = Mutate(ValidMessages[i % ValidMessages.Length], random);
            if (AssertProducesResult(RandomKey(random), value).IsValid)
                accepted++;
        }

        // Some mutations land in white space or values that stay valid; most break the message.
        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void every_truncation_of_a_valid_message_produces_a_result()
    {
        foreach (var message in ValidMessages)
        {
            for (var length = 0; length < message.Length; length++)
            {
                var result = AssertProducesResult(null, message[..length]);
                Assert.False(result.IsValid, $"a message cut to {length} bytes was accepted");
            }
        }
    }

    [Fact]
    public void deeply_nested_values_produce_a_result()
    {
        foreach (var depth in new[] { 63, 64, 65, 1000, 20_000 })
        {
            var nested = new string('[', depth) + new string(']', depth);
            AssertProducesResult(null, ExampleWith(("deep", nested)));
            AssertProducesResult(null, Utf8(new string('[', depth)));
        }
    }

    private static TransactionParseResult AssertProducesResult(byte[]? key, byte[] value)
    {
        var result = TransactionParser.Parse(key, value);

        Assert.NotNull(result);
        if (result.IsValid)
        {
            Assert.Null(result.Error);
            Assert.True(result.Transaction.Amount is > 0 and <= 1_000_000_000m);
        }
        else
        {
            Assert.Null(result.Transaction);
            Assert.Contains(result.Error.Code, ParseErrorCodes.All);
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
            Assert.DoesNotContain(TransactionParser.UnexpectedFailureDetail, result.Error.Detail, StringComparison.Ordinal);
        }

        return result;
    }

    private static byte[]? RandomKey(Random random) => random.Next(4) switch
    {
        0 => null,
        1 => Utf8("123"),
        2 => [],
        _ => RandomBytes(random, random.Next(1, 8)),
    };

    private static byte[] Mutate(byte[] message, Random random)
    {
        var bytes = message.ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var position = random.Next(bytes.Count + 1);
            var replacement = random.Next(3) == 0 ? (byte)random.Next(256) : InterestingBytes[random.Next(InterestingBytes.Length)];
            switch (random.Next(4))
            {
                case 0 when position < bytes.Count:
                    bytes[position] = replacement;
                    break;
                case 1 when position < bytes.Count:
                    bytes.RemoveAt(position);
                    break;
                case 2:
                    bytes.Insert(position, replacement);
                    break;
                default:
                    var start = random.Next(bytes.Count);
                    var length = random.Next(1, Math.Max(2, bytes.Count - start));
                    bytes.InsertRange(position, bytes.Skip(start).Take(length).ToArray());
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
