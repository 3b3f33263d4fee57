namespace Usrv.Plugins.Pinata;

/// <summary>
/// One condition of the <c>metadata[keyvalues]</c> filter of <c>data/pinList</c>: <c>{"value": ..., "op": "..."}</c>,
/// plus <c>secondValue</c> for <c>between</c> and <c>notBetween</c> (Pinata API reference, "Metadata Querying").
/// </summary>
/// <param name="Value">A string, a number, a boolean or a date (sent as ISO 8601 UTC).</param>
/// <param name="Op">
/// One of <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c>, <c>ne</c>, <c>eq</c>, <c>between</c>, <c>notBetween</c>,
/// <c>like</c>, <c>notLike</c>, <c>iLike</c>, <c>notILike</c>, <c>regexp</c>, <c>iRegexp</c> (<c>eq</c> by default).
/// </param>
/// <param name="SecondValue">The upper bound of <c>between</c> and <c>notBetween</c>; required by them, ignored by the others.</param>
public sealed record PinataKeyValueFilter(object Value, string Op = "eq", object? SecondValue = null)
{
    /// <summary>The operations Pinata documents for key-value queries.</summary>
    public static IReadOnlyList<string> Ops { get; } =
        ["gt", "gte", "lt", "lte", "ne", "eq", "between", "notBetween", "like", "notLike", "iLike", "notILike", "regexp", "iRegexp"];
}
