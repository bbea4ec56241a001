using System.Diagnostics.CodeAnalysis;
using Cashback.Grains.Interfaces.Transactions;

namespace Cashback.Ingestor.Parsing;

/// <summary>Either a valid <see cref="CardTransaction"/> or the <see cref="ParseError"/> that rejected the message.</summary>
public sealed class TransactionParseResult
{
    private TransactionParseResult(CardTransaction? transaction, ParseError? error)
    {
        Transaction = transaction;
        Error = error;
    }

    public CardTransaction? Transaction { get; }

    public ParseError? Error { get; }

    [MemberNotNullWhen(true, nameof(Transaction))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Transaction is not null;

    public static TransactionParseResult Valid(CardTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return new(transaction, null);
    }

    public static TransactionParseResult Invalid(string code, string detail) => new(null, new ParseError(code, detail));

    public override string ToString() => IsValid ? $"valid {Transaction}" : $"invalid {Error.Code}: {Error.Detail}";
}
