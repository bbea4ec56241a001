using System.Globalization;
using System.Text;
using System.Text.Json;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Ingestor.Kafka;
using Cashback.Ingestor.Parsing;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Cashback.Ingestor.Publishing;

/// <summary>
/// Everything the ingestor writes to Kafka: cashback events and dead letters. Each call completes only once Kafka
/// acknowledged the message (idempotent producer, acks=all), so the caller may then store the source offset.
/// </summary>
public sealed class KafkaPublisher(IProducer<byte[], byte[]> producer, IOptions<KafkaOptions> options)
{
    private readonly KafkaOptions _options = options.Value;

    public async Task PublishAsync(CardTransaction transaction, TransactionOutcome outcome, CancellationToken cancellationToken)
    {
        var cashbackEvent = CashbackEvent.From(transaction, outcome);
        var message = new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(transaction.CustomerId),
            Value = JsonSerializer.SerializeToUtf8Bytes(cashbackEvent, CashbackEventJson.Default.CashbackEvent),
            Headers = new Headers { { "event_id", Encoding.UTF8.GetBytes(cashbackEvent.EventId) } },
        };
        await producer.ProduceAsync(_options.CashbackEventsTopic, message, cancellationToken);
    }

    /// <summary>Sends a rejected message to the dead-letter topic with its original key, value and headers (SPEC §5).</summary>
    public async Task DeadLetterAsync(ConsumeResult<byte[], byte[]> rejected, ParseError error, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in rejected.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add("error", Encoding.UTF8.GetBytes(error.Code));
        headers.Add("error_detail", Encoding.UTF8.GetBytes(error.Detail));
        headers.Add("source_topic", Encoding.UTF8.GetBytes(rejected.Topic));
        headers.Add("source_partition", Encoding.UTF8.GetBytes(rejected.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add("source_offset", Encoding.UTF8.GetBytes(rejected.Offset.Value.ToString(CultureInfo.InvariantCulture)));

        var message = new Message<byte[], byte[]> { Key = rejected.Message.Key, Value = rejected.Message.Value, Headers = headers };
        await producer.ProduceAsync(_options.DeadLetterTopic, message, cancellationToken);
    }
}
