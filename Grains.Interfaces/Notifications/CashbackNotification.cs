using Cashback.Grains.Interfaces.Accounts;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Grains.Interfaces.Notifications;

/// <summary>
/// A credit or reversal of one account, published on the account's notification stream once its balance and audit row
/// are durable: the same facts as the event on <c>cashback_events</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cashback.CashbackNotification")]
public sealed record CashbackNotification(
    [property: Id(0)] CardTransaction Transaction,
    [property: Id(1)] TransactionOutcome Outcome);
