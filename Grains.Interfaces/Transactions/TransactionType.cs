namespace Cashback.Grains.Interfaces.Transactions;

[GenerateSerializer, Alias("cashback.TransactionType")]
public enum TransactionType
{
    Purchase = 0,
    Refund = 1,
}
