using System.Buffers;

namespace Usrv.Route;

/// <summary>
/// The bytes usrv refuses itself, after the size limits and before anything reads the request, so that both hosts answer
/// them alike where their own parsers let them through (README, Limits and bad input): a control character (0x00-0x1F,
/// 0x7F) in the request-target (RFC 9112 section 3.2), in a header name or in a header value, where only tab may stand
/// (RFC 9110 section 5.5), and a <c>Content-Length</c> that is not plain decimal digits (RFC 9110 section 8.6: <c>+5</c>,
/// <c>5, 5</c>, <c>0x5</c>). Each is a 400 problem, answered without a throw.
/// </summary>
internal sealed class RequestValidationStage : IUsrvStage
{
    // 0x00-0x1F and 0x7F (in header values, tab aside).
    private static readonly SearchValues<char> TargetControls = SearchValues.Create(Controls(allowTab: false));
    private static readonly SearchValues<char> ValueControls = SearchValues.Create(Controls(allowTab: true));

    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        int at = request.Target.AsSpan().IndexOfAny(TargetControls);
        if (at >= 0)
        {
            return Refuse($"the request-target has the control character {Hex(request.Target[at])} at position {at}");
        }
        var headers = request.Headers;
        for (int i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers.At(i);
            at = name.AsSpan().IndexOfAny(TargetControls);
            if (at >= 0) return Refuse($"a header name has the control character {Hex(name[at])}");
            at = value.AsSpan().IndexOfAny(ValueControls);
            if (at >= 0) return Refuse($"header '{name}' has the control character {Hex(value[at])} in its value");
        }
        if (request.Headers["Content-Length"] is { } length && !IsDigits(length))
        {
            return Refuse(
                $"Content-Length '{(length.Length > 32 ? length[..32] + "..." : length)}' is not a number of bytes in plain "
                + "decimal digits (RFC 9110 section 8.6)");
        }
        return next(request);
    }

    private static bool IsDigits(string text) => text.Length > 0 && !text.AsSpan().ContainsAnyExceptInRange('0', '9');

    private static string Hex(char c) => $"0x{(int)c:X2}";

    private static string Controls(bool allowTab) =>
        string.Concat(Enumerable.Range(0, 0x20).Where(c => !allowTab || c != '\t').Select(c => (char)c)) + "\u007F";

    // Answered, not thrown, as the limits stage does.
    private static ValueTask<UsrvResponse> Refuse(string detail) => ProblemDetails.Answer(new ProblemException(400, detail));
}
