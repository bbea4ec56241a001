using Cashback.Grains.Audit;
using Cashback.Grains.Interfaces.Accounts;
using Cashback.Silo.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cashback.Silo.Api;

public static class AccountsApi
{
    private const int MaxHistoryPage = 500;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup("/accounts/{customerId}").RequireAccountAccess();
        accounts.MapGet("/balance", GetBalanceAsync);
        accounts.MapGet("/transactions", GetTransactionsAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<AccountBalanceResponse>, ProblemHttpResult>> GetBalanceAsync(
        string customerId, IGrainFactory grains)
    {
        if (!CustomerId.IsValid(customerId))
        {
            return Problems.InvalidCustomerId(customerId);
        }

        var balance = await grains.GetGrain<IAccountGrain>(customerId).GetBalanceAsync();
        return balance is null
            ? Problems.UnknownAccount(customerId)
            : TypedResults.Ok(AccountBalanceResponse.From(balance));
    }

    private static async Task<Results<Ok<TransactionHistoryResponse>, ProblemHttpResult>> GetTransactionsAsync(
        string customerId, AuditHistory history, CancellationToken cancellationToken, int limit = 50, string? before = null)
    {
        if (!CustomerId.IsValid(customerId))
        {
            return Problems.InvalidCustomerId(customerId);
        }

        if (limit is < 1 or > MaxHistoryPage)
        {
            return Problems.InvalidParameter("limit", $"must be between 1 and {MaxHistoryPage}");
        }

        AuditCursor? cursor = null;
        if (before is not null && !HistoryCursor.TryDecode(before, out cursor))
        {
            return Problems.InvalidParameter("before", "must be an RFC 3339 timestamp or the nextBefore of a previous page");
        }

        var page = await history.ReadPageAsync(customerId, limit, cursor, cancellationToken);
        return page.Count == 0 && cursor is null
            ? Problems.UnknownAccount(customerId)
            : TypedResults.Ok(TransactionHistoryResponse.From(customerId, page, limit));
    }
}
