using System.ComponentModel.DataAnnotations;

namespace Cashback.Grains.Accounts;

public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>
    /// How many recent outcomes each account keeps in its state to answer redeliveries without a database read.
    /// Older transaction ids are checked against the audit table.
    /// </summary>
    [Range(1, 10_000)]
    public int IdempotencyWindow { get; set; } = 64;

    /// <summary>
    /// How many transactions an account applies between saves of its Orleans state. A transaction is durable once its
    /// audit row is (rows of many accounts share one commit); the state is a snapshot, also saved when the grain
    /// deactivates, and a reactivated grain replays the audit rows written after it.
    /// </summary>
    [Range(1, 100_000)]
    public int SnapshotEvery { get; set; } = 32;
}
