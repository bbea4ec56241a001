using System.Globalization;
using System.Text;
using Cashback.Ingestor.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Cashback.Silo.LocalMode;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Transactions per second to publish; 0 turns the demo off.</summary>
    public int Rate { get; set; }

    public int Accounts { get; set; } = 100;
}

/// <summary>
/// <c>--Demo:Rate=20</c>: publishes realistic card transactions to <c>transactions</c> (a few invalid ones included)
/// and prints every cashback event as it arrives on <c>cashback_events</c>.
/// </summary>
public sealed class DemoTraffic(IOptions<DemoOptions> demo, IOptions<KafkaOptions> kafka, TimeProvider time, ILogger<DemoTraffic> logger)
    : BackgroundService
{
    private static readonly string[] Merchants = ["MerchantX", "Merchant X", "MerchantY", "Coffee Corner", "Grocer & Co"];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LibrdkafkaLoader.EnsureLoaded(logger);
        return Task.WhenAll(
            Task.Run(() => PublishAsync(stoppingToken), stoppingToken),
            Task.Factory.StartNew(() => PrintEvents(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    private async Task PublishAsync(CancellationToken stoppingToken)
    {
        var options = demo.Value;
        LocalModeLog.DemoStarted(logger, options.Rate, options.Accounts, kafka.Value.TransactionsTopic);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = kafka.Value.BootstrapServers,
            CompressionType = CompressionType.Lz4,
            Partitioner = Partitioner.Murmur2Random, // as Kafka's Java client, see Murmur2Partitioner
        }).Build();
        var random = new Random();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.Rate), time);
        var sequence = 0L;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var customer = $"customer-{random.Next(options.Accounts):D3}";
            var json = random.Next(50) == 0
                ? $$"""{"transaction_id":"demo-{{sequence}}","customer_id":"{{customer}}","amount":"not a number"}"""
                : Transaction(customer, $"demo-{time.GetUtcNow().ToUnixTimeMilliseconds()}-{sequence}", random);
            producer.Produce(kafka.Value.TransactionsTopic, new Message<string, string> { Key = customer, Value = json });
            sequence++;
        }

        producer.Flush(TimeSpan.FromSeconds(5));
    }

    private string Transaction(string customer, string transactionId, Random random)
    {
        // Spread purchases over the last few days so that some fall on a Friday and earn cashback.
        var now = time.GetUtcNow();
        var daysSinceFriday = ((int)now.DayOfWeek - (int)DayOfWeek.Friday + 7) % 7;
        var day = now.Date.AddDays(-daysSinceFriday - random.Next(-1, 2));
        var at = new DateTimeOffset(day, TimeSpan.Zero).AddMinutes(random.Next(8 * 60, 22 * 60));
        var amount = (random.Next(500, 6_000) / 100m).ToString(CultureInfo.InvariantCulture);
        var merchant = Merchants[random.Next(Merchants.Length)];
        return $$"""{"transaction_id":"{{transactionId}}","customer_id":"{{customer}}","amount":{{amount}},"transaction_timestamp":"{{at:yyyy-MM-dd'T'HH:mm:ss'Z'}}","merchant_id":"{{merchant}}"}""";
    }

    private void PrintEvents(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.Value.BootstrapServers,
            GroupId = "cashback-demo-printer",
            EnableAutoCommit = false,
        }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Value.BootstrapServers }).Build();
        var topic = kafka.Value.CashbackEventsTopic;
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.End)));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var result = consumer.Consume(stoppingToken);
                LocalModeLog.DemoEvent(logger, Encoding.UTF8.GetString(result.Message.Value));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
