namespace Cashback.Silo.Notifications;

/// <summary>
/// The <c>event_id</c> of SPEC §4 read back from a client's <c>Last-Event-ID</c>: <c>&lt;transaction_id&gt;</c> for a
/// credit, <c>&lt;transaction_id&gt;:reversal</c> for a reversal. A purchase may itself be named <c>x:reversal</c>, so
/// such an id names either that purchase's credit or the reversal of <c>x</c>.
/// </summary>
public sealed record CashbackEventId(string CreditTransactionId, string? ReversalTransactionId)
{
    private const string ReversalSuffix = ":reversal";

    public static CashbackEventId Parse(string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var reversalOf = eventId.Length > ReversalSuffix.Length && eventId.EndsWith(ReversalSuffix, StringComparison.Ordinal)
            ? eventId[..^ReversalSuffix.Length]
            : null;
        return new CashbackEventId(eventId, reversalOf);
    }
}
