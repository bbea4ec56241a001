using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cashback.Ingestor.Kafka;
using Cashback.Silo.LocalMode;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cashback.Bench;

/// <summary>What the machine does without the product: the figures the pipeline is read against.</summary>
public static class Floors
{
    /// <summary>Kafka alone: consume each message and produce it on (idempotent, acks=all, offsets stored after), no grain, no database.</summary>
    public static async Task<double> KafkaRelayPerSecondAsync(EmbeddedKafkaBroker broker, int messages)
    {
        broker.CreateTopic("floor_in", 12);
        broker.CreateTopic("floor_out", 12);
        using var producer = Clients.Producer(broker.BootstrapServers);
        using var consumer = Clients.GroupConsumer(broker.BootstrapServers, "floor-relay");
        consumer.Subscribe("floor_in");
        var payload = Encoding.UTF8.GetBytes(new string('x', 180));

        var stopwatch = Stopwatch.StartNew();
        var produced = Task.Run(async () =>
        {
            var pending = new List<Task>(messages);
            for (var i = 0; i < messages; i++)
            {
                pending.Add(producer.ProduceAsync("floor_in", new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i % 10_000), Value = payload }));
            }

            await Task.WhenAll(pending);
        });

        var relayed = new List<Task>(messages);
        while (relayed.Count < messages)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("floor relay starved");
            relayed.Add(producer.ProduceAsync("floor_out", new Message<byte[], byte[]> { Key = result.Message.Key, Value = result.Message.Value })
                .ContinueWith(_ => consumer.StoreOffset(result), TaskScheduler.Default));
        }

        await Task.WhenAll(relayed);
        await produced;
        stopwatch.Stop();
        consumer.Close();
        return messages / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Kafka's share of the produce → event latency: a relay built with the silo's own client settings
    /// (<see cref="KafkaClients"/>) moves each message on, measured at the offered rate of the pipeline's latency pass.
    /// </summary>
    public static async Task<LatencyProbe.Result> KafkaRelayLatencyAsync(EmbeddedKafkaBroker broker, int rate, int seconds)
    {
        broker.CreateTopic("floor_latency_in", 12);
        broker.CreateTopic("floor_latency_out", 12);
        var clients = new KafkaClients(
            Options.Create(new KafkaOptions
            {
                BootstrapServers = broker.BootstrapServers,
                ConsumerGroup = "floor-latency-relay",
                SessionTimeout = TimeSpan.FromSeconds(6),
                FetchWaitMax = TimeSpan.Parse(EmbeddedKafkaOptions.ConsumerFetchWaitMax, CultureInfo.InvariantCulture),
            }),
            NullLoggerFactory.Instance);
        using var producer = clients.CreateProducer();
        using var consumer = clients.CreateConsumerBuilder().Build();
        consumer.Subscribe("floor_latency_in");
        using var stop = new CancellationTokenSource();
        var relay = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                {
                    producer.Produce("floor_latency_out", new Message<byte[], byte[]> { Key = result.Message.Key, Value = result.Message.Value });
                }
            }
        });

        // The group join must finish before the clock starts: read what is relayed until a probe comes back.
        await LatencyProbe.MeasureAsync(broker.BootstrapServers, "floor_latency_in", "floor_latency_out", 12, 10, 2, Relayed, m => Encoding.UTF8.GetString(m.Key));
        var result = await LatencyProbe.MeasureAsync(broker.BootstrapServers, "floor_latency_in", "floor_latency_out", 12, rate, seconds, Relayed, m => Encoding.UTF8.GetString(m.Key));
        await stop.CancelAsync();
        await relay;
        consumer.Close();
        return result;

        static (byte[] Key, byte[] Value) Relayed(string id) => (Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(new string('x', 180)));
    }

    /// <summary>PostgreSQL alone: one committed single-row upsert per statement from 32 connections.</summary>
    public static async Task<double> PostgresSingleRowUpsertsPerSecondAsync(string connectionString, int rows)
    {
        await PrepareAsync(connectionString);
        const int connections = 32;
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "INSERT INTO bench_floor (id, balance) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET balance = bench_floor.balance + excluded.balance",
                connection);
            command.Parameters.Add(new NpgsqlParameter<int>());
            command.Parameters.Add(new NpgsqlParameter<decimal>());
            await command.PrepareAsync();
            int i;
            while ((i = Interlocked.Increment(ref next)) < rows)
            {
                ((NpgsqlParameter<int>)command.Parameters[0]).TypedValue = i % 100_000;
                ((NpgsqlParameter<decimal>)command.Parameters[1]).TypedValue = 1.5m;
                await command.ExecuteNonQueryAsync();
            }
        }));
        return rows / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>PostgreSQL alone, set-based: upserts of 1,000 rows per statement from 4 connections.</summary>
    public static async Task<double> PostgresBatchedUpsertsPerSecondAsync(string connectionString, int rows)
    {
        await PrepareAsync(connectionString);
        const int batch = 1_000;
        var next = -batch;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            int start;
            while ((start = Interlocked.Add(ref next, batch)) < rows)
            {
                var ids = Enumerable.Range(start, Math.Min(batch, rows - start)).Select(i => i % 100_000).Distinct().ToArray();
                await using var command = new NpgsqlCommand(
                    "INSERT INTO bench_floor (id, balance) SELECT id, 1.5 FROM unnest($1::int[]) AS id ON CONFLICT (id) DO UPDATE SET balance = bench_floor.balance + excluded.balance",
                    connection);
                command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = ids });
                await command.ExecuteNonQueryAsync();
            }
        }));
        return rows / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task PrepareAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (id int PRIMARY KEY, balance numeric(19,2) NOT NULL)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
