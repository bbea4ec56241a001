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
}
