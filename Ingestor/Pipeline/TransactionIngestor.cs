using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;
using Cashback.Ingestor.Kafka;
using Cashback.Ingestor.Parsing;
using Cashback.Ingestor.Placement;
using Cashback.Ingestor.Publishing;
using System.Collections.Concurrent;
using System.Diagnostics;
using Cashback.Ingestor.Telemetry;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Cashback.Ingestor.Pipeline;

/// <summary>
/// The silo's Kafka consumer: reads <c>transactions</c>, hands each message to the grain of its account, publishes
/// the resulting event and only then stores the offset. Parallel across accounts, in order within an account; a
/// message that cannot be parsed goes to the dead-letter topic. While PostgreSQL or Kafka is unreachable, work retries
/// with backoff and consumption pauses once <see cref="KafkaOptions.MaxInFlight"/> messages wait.
/// </summary>
public sealed partial class TransactionIngestor : BackgroundService
{
    /// <summary>How long a full in-flight window may last before consumption pauses.</summary>
    private static readonly TimeSpan SaturationBeforePause = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly AccountGrainReferences _accountGrains;
    private readonly KafkaClients _clients;
    private readonly KafkaPublisher _publisher;
    private readonly CashbackMetrics _metrics;
    private readonly ILogger<TransactionIngestor> _logger;
    private readonly KafkaOptions _options;
    private readonly PartitionWatermarks _watermarks;
    private readonly IPartitionAssignmentObserver[] _observers;
    private readonly IHandoverOffsets _handoverOffsets;
    private readonly ConcurrentDictionary<TopicPartition, Offset> _stored = new();
    private readonly AccountBatches<AcceptedMessage> _accounts;
    private readonly ResiliencePipeline _retry;
    private readonly CancellationTokenSource _abort = new();
    private readonly Queue<ConsumeResult<byte[], byte[]>> _backlog = new();
    private SemaphoreSlim? _slots;
    private IConsumer<byte[], byte[]>? _consumer;

    public TransactionIngestor(
        IGrainFactory grains,
        KafkaClients clients,
        KafkaPublisher publisher,
        CashbackMetrics metrics,
        IOptions<KafkaOptions> options,
        IEnumerable<IPartitionAssignmentObserver> observers,
        IHandoverOffsets handoverOffsets,
        ILogger<TransactionIngestor> logger)
    {
        _accountGrains = new AccountGrainReferences(grains);
        _clients = clients;
        _publisher = publisher;
        _metrics = metrics;
        _logger = logger;
        _options = options.Value;
        _observers = [.. observers];
        _handoverOffsets = handoverOffsets;
        _watermarks = new PartitionWatermarks(StoreOffset);
        _accounts = new AccountBatches<AcceptedMessage>(ApplyAsync);
        _retry = BuildRetryPipeline();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    public override void Dispose()
    {
        _abort.Dispose();
        _slots?.Dispose();
        base.Dispose();
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        _slots = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
        using var consumer = _clients.CreateConsumerBuilder()
            .SetErrorHandler((_, error) => OnError(error))
            .SetPartitionsAssignedHandler((c, assigned) => Assign(c, assigned))
            .SetPartitionsRevokedHandler((c, revoked) => HandOver(c, [.. revoked.Select(p => p.TopicPartition)]))
            .SetPartitionsLostHandler((_, lost) => Forget([.. lost.Select(p => p.TopicPartition)]))
            .Build();
        _consumer = consumer;
        consumer.Subscribe(_options.TransactionsTopic);
        Started(_logger, _options.TransactionsTopic, _options.ConsumerGroup, _options.BootstrapServers);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = Consume(consumer, stoppingToken);
                if (message is null)
                {
                    continue;
                }

                _backlog.Enqueue(message);
                while (_backlog.TryDequeue(out var next))
                {
                    _metrics.RecordConsumerLag(next.TopicPartition, next.Offset.Value + 1, consumer.GetWatermarkOffsets(next.TopicPartition));
                    WaitForSlot(consumer, stoppingToken);
                    Dispatch(next);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await StopGracefullyAsync(consumer);
    }

    private static ConsumeResult<byte[], byte[]>? Consume(IConsumer<byte[], byte[]> consumer, CancellationToken stoppingToken)
    {
        try
        {
            return consumer.Consume(stoppingToken);
        }
        catch (ConsumeException error) when (!error.Error.IsFatal)
        {
            return null;
        }
    }

    /// <summary>
    /// Back-pressure. A full in-flight window usually frees a slot within milliseconds: wait for it without polling,
    /// which keeps the messages librdkafka prefetched (pausing would drop them and fetch them again). If the window
    /// stays full (PostgreSQL or Kafka down), pause fetching but keep polling so the group does not consider this
    /// consumer dead. A message still delivered meanwhile (e.g. from a partition assigned during the pause) waits in
    /// the backlog, in order.
    /// </summary>
    private void WaitForSlot(IConsumer<byte[], byte[]> consumer, CancellationToken stoppingToken)
    {
        if (_slots!.Wait(SaturationBeforePause, stoppingToken))
        {
            return;
        }

        var paused = consumer.Assignment;
        consumer.Pause(paused);
        try
        {
            while (!_slots.Wait(TimeSpan.FromMilliseconds(100), stoppingToken))
            {
                if (consumer.Consume(TimeSpan.Zero) is { } delivered)
                {
                    _backlog.Enqueue(delivered);
                }
            }
        }
        finally
        {
            consumer.Resume(paused.Intersect(consumer.Assignment));
        }
    }

    private void Dispatch(ConsumeResult<byte[], byte[]> message)
    {
        _watermarks.Start(message.TopicPartitionOffset);
        var parsed = TransactionParser.Parse(message.Message.Key, message.Message.Value);
        if (parsed.IsValid)
        {
            _accounts.Enqueue(parsed.Transaction.CustomerId, new AcceptedMessage(message, parsed.Transaction));
            return;
        }

        DeadLettered(_logger, message.TopicPartitionOffset.ToString(), parsed.Error.Code, parsed.Error.Detail);
        _ = DeadLetterAsync(message, parsed.Error).ContinueWith(
            done => Finish(message, done.IsCompletedSuccessfully), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Applies one account's batch in one grain call, then publishes the events owed, in order, and only then lets the
    /// offsets of the batch be stored.
    /// </summary>
    private async Task ApplyAsync(IReadOnlyList<AcceptedMessage> batch)
    {
        var succeeded = false;
        try
        {
            var first = batch[0];
            var account = _accountGrains.For(first.Transaction.CustomerId);
            SourcedTransaction[] transactions = [.. batch.Select(m => new SourcedTransaction(m.Transaction, m.Source))];
            IngestorCallContext.Describe(first.Message.Partition.Value);
            var started = Stopwatch.GetTimestamp();
            var outcomes = await WithRetriesAsync(() => account.ApplyBatchAsync(transactions));
            _metrics.RecordGrainWrite(Stopwatch.GetElapsedTime(started));

            List<Task> publishing = [];
            for (var i = 0; i < batch.Count; i++)
            {
                var (transaction, outcome) = (transactions[i].Transaction, outcomes[i]);
                if (outcome.OwesEventFor(transactions[i].Source))
                {
                    publishing.Add(WithRetriesAsync(() => _publisher.PublishAsync(transaction, outcome, _abort.Token)));
                }

                _metrics.RecordOutcome(outcome, transaction.Currency);
            }

            await Task.WhenAll(publishing);
            succeeded = true;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            // Not retried (retries only end when the ingestor stops): the offsets stay before this batch, so the
            // partition's next consumer applies it again.
            BatchFailed(_logger, batch[0].Transaction.CustomerId, error);
        }
        finally
        {
            foreach (var accepted in batch)
            {
                Finish(accepted.Message, succeeded);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or the ingestor stops. The first try runs bare, so the retry
    /// pipeline and its allocations are paid only once something failed, as during an outage.
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attempt)
    {
        try
        {
            return await attempt();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            RetryingAfterFailure(_logger, 1, FirstRetryDelay, error.Message); // the pipeline numbers its retries from 2
            await Task.Delay(FirstRetryDelay, _abort.Token);
            return await _retry.ExecuteAsync(async _ => await attempt(), _abort.Token);
        }
    }

    private Task WithRetriesAsync(Func<Task> attempt) => WithRetriesAsync(async () =>
    {
        await attempt();
        return true;
    });

    private async Task DeadLetterAsync(ConsumeResult<byte[], byte[]> message, ParseError error)
    {
        await WithRetriesAsync(() => _publisher.DeadLetterAsync(message, error, _abort.Token));
        _metrics.RecordDeadLetter(error.Code);
    }

    private void Finish(ConsumeResult<byte[], byte[]> message, bool succeeded)
    {
        try
        {
            if (succeeded)
            {
                _watermarks.Complete(message.TopicPartitionOffset);
            }
        }
        finally
        {
            _slots!.Release();
        }
    }

    private void StoreOffset(TopicPartitionOffset next)
    {
        try
        {
            _consumer!.StoreOffset(next);
            _stored[next.TopicPartition] = next.Offset;
        }
        catch (KafkaException error)
        {
            // The partition moved to another consumer meanwhile; that consumer resumes from the last commit.
            OffsetNotStored(_logger, next.ToString(), error.Error.Reason);
        }
    }

    /// <summary>
    /// Called on the consumer thread before partitions go to another silo: finish their work and commit, so the next
    /// owner starts after it and no event is repeated. Confluent's callbacks are synchronous, hence the blocking wait
    /// on this dedicated thread.
    /// </summary>
    private void HandOver(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> revoked)
    {
        if (!_watermarks.WhenDrainedAsync(revoked).Wait(_options.DrainTimeout))
        {
            DrainTimedOut(_logger, string.Join(", ", revoked));
        }

        if (!CommitStoredOffsets(consumer))
        {
            SaveHandoverOffsets(revoked);
        }

        Forget(revoked);
    }

    private void SaveHandoverOffsets(IReadOnlyList<TopicPartition> revoked)
    {
        List<TopicPartitionOffset> next = [];
        foreach (var partition in revoked)
        {
            if (_stored.TryGetValue(partition, out var offset))
            {
                next.Add(new TopicPartitionOffset(partition, offset));
            }
        }

        try
        {
            _handoverOffsets.Save(next);
            HandoverOffsetsSaved(_logger, string.Join(", ", next));
        }
        catch (Exception error)
        {
            // Never throw out of a rebalance callback. The next consumer then repeats the work since the last commit,
            // which is safe: the grains are idempotent and events are published at least once.
            HandoverOffsetsNotSaved(_logger, string.Join(", ", next), error.Message);
        }
    }

    /// <summary>
    /// Where to start each assigned partition: the group's committed offset, unless the previous consumer left a later
    /// one because its final commit was refused.
    /// </summary>
    private List<TopicPartitionOffset> StartingOffsets(IConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned)
    {
        List<TopicPartitionOffset> start = [.. assigned.Select(p => new TopicPartitionOffset(p, Offset.Unset))];
        try
        {
            var handedOver = _handoverOffsets.Load(assigned);
            if (handedOver.Count == 0)
            {
                return start;
            }

            var committed = consumer.Committed(handedOver.Keys, _options.SessionTimeout).ToDictionary(c => c.TopicPartition, c => c.Offset);
            for (var i = 0; i < start.Count; i++)
            {
                var partition = start[i].TopicPartition;
                if (handedOver.TryGetValue(partition, out var left)
                    && (!committed.TryGetValue(partition, out var last) || last.Value < 0 || left.Value > last.Value))
                {
                    start[i] = new TopicPartitionOffset(partition, left);
                    ResumingAtHandoverOffset(_logger, start[i].ToString());
                }
            }
        }
        catch (Exception error)
        {
            // Never throw out of a rebalance callback: the consumer would fail. The committed offsets are still safe.
            HandoverOffsetsNotLoaded(_logger, error.Message);
        }

        return start;
    }

    private List<TopicPartitionOffset> Assign(IConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned)
    {
        PartitionsAssigned(_logger, string.Join(", ", assigned));
        int[] partitions = [.. assigned.Where(p => p.Topic == _options.TransactionsTopic).Select(p => p.Partition.Value)];
        foreach (var observer in _observers)
        {
            observer.Assigned(partitions);
        }

        return StartingOffsets(consumer, assigned);
    }

    private void Forget(IReadOnlyList<TopicPartition> released)
    {
        _watermarks.Forget(released);
        foreach (var partition in released)
        {
            _stored.TryRemove(partition, out _);
        }

        _metrics.ForgetConsumerLag(released);
        PartitionsReleased(_logger, string.Join(", ", released));
        int[] partitions = [.. released.Where(p => p.Topic == _options.TransactionsTopic).Select(p => p.Partition.Value)];
        foreach (var observer in _observers)
        {
            observer.Released(partitions);
        }
    }

    private async Task StopGracefullyAsync(IConsumer<byte[], byte[]> consumer)
    {
        var assignment = consumer.Assignment;
        var drained = _watermarks.WhenDrainedAsync(assignment);
        if (await Task.WhenAny(drained, Task.Delay(_options.DrainTimeout)) != drained)
        {
            DrainTimedOut(_logger, string.Join(", ", assignment));
        }

        await _abort.CancelAsync();
        CommitStoredOffsets(consumer);
        consumer.Close();
        Stopped(_logger);
    }

    private bool CommitStoredOffsets(IConsumer<byte[], byte[]> consumer)
    {
        try
        {
            consumer.Commit();
            return true;
        }
        catch (KafkaException error) when (error.Error.Code == Confluent.Kafka.ErrorCode.Local_NoOffset)
        {
            return true;
        }
        catch (KafkaException error)
        {
            CommitFailed(_logger, error.Error.Reason);
            return false;
        }
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            FatalKafkaError(_logger, error.Reason);
            _abort.Cancel();
            throw new KafkaException(error);
        }

        KafkaError(_logger, error.Reason);
    }

    private ResiliencePipeline BuildRetryPipeline() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(error => error is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FirstRetryDelay,
            MaxDelay = _options.MaxRetryDelay,
            OnRetry = args =>
            {
                RetryingAfterFailure(_logger, args.AttemptNumber + 2, args.RetryDelay, args.Outcome.Exception?.Message);
                return default;
            },
        })
        .Build();

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestor consuming {Topic} in group {Group} from {BootstrapServers}")]
    private static partial void Started(ILogger logger, string topic, string group, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestor stopped: work drained, offsets committed, group left")]
    private static partial void Stopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    private static partial void PartitionsAssigned(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions released: {Partitions}")]
    private static partial void PartitionsReleased(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered {Position}: {Error} ({Detail})")]
    private static partial void DeadLettered(ILogger logger, string position, string error, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Transactions of account {Account} failed and stay unacknowledged")]
    private static partial void BatchFailed(ILogger logger, string account, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retry {Attempt} in {Delay} after: {Reason}")]
    private static partial void RetryingAfterFailure(ILogger logger, int attempt, TimeSpan delay, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work of {Partitions} did not finish within the drain timeout")]
    private static partial void DrainTimedOut(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offset {Offset} not stored: {Reason}")]
    private static partial void OffsetNotStored(ILogger logger, string offset, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Commit refused; next offsets left for the next consumer: {Offsets}")]
    private static partial void HandoverOffsetsSaved(ILogger logger, string offsets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit refused and next offsets {Offsets} not saved either; their next consumer repeats work: {Reason}")]
    private static partial void HandoverOffsetsNotSaved(ILogger logger, string offsets, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Position}, where the previous consumer left it")]
    private static partial void ResumingAtHandoverOffset(ILogger logger, string position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up offsets left by previous consumers; starting from the committed ones: {Reason}")]
    private static partial void HandoverOffsetsNotLoaded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offset commit failed: {Reason}")]
    private static partial void CommitFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka: {Reason}")]
    private static partial void KafkaError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal Kafka error, the ingestor stops: {Reason}")]
    private static partial void FatalKafkaError(ILogger logger, string reason);

    /// <summary>A parsed message waiting for its account's next batch.</summary>
    private sealed record AcceptedMessage(ConsumeResult<byte[], byte[]> Message, CardTransaction Transaction)
    {
        // The client gives each message its own copy of the topic name; accounts keep the position of recent transactions.
        public SourcePosition Source { get; } = new(string.Intern(Message.Topic), Message.Partition.Value, Message.Offset.Value);
    }
}
