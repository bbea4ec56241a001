namespace Cashback.Ingestor.Parsing;

/// <summary>Why a message was rejected.</summary>
/// <param name="Code">One of <see cref="ParseErrorCodes"/>; goes to the <c>error</c> header.</param>
/// <param name="Detail">A human-readable explanation; goes to the <c>error_detail</c> header.</param>
public sealed record ParseError(string Code, string Detail);
