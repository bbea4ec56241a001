namespace Cashback.Tests.Security;

/// <summary>Who knocks: the columns of the auth matrix.</summary>
public enum Caller
{
    Anonymous,
    ExpiredToken,
    BadSignature,
    WrongAudience,
    OtherCustomer,
    OwnCustomer,
    ReadScope,
    AdminScope,
}
