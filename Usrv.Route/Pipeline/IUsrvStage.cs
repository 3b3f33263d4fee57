namespace Usrv.Route;

/// <summary>The rest of the pipeline after a stage: answers <paramref name="request"/> (DESIGN, The request's way through).</summary>
/// <param name="request">The request to hand on (the same one, or one a stage made from it, such as the opened sealed request).</param>
public delegate ValueTask<UsrvResponse> UsrvRequestHandler(UsrvRequest request);

/// <summary>
/// One stage of the pipeline (DESIGN, The request's way through; ASP.NET Core's middleware): it sees the request on its
/// way in, may answer it alone (short-circuit) or call <c>next</c>, and sees, and may replace, the answer on its way out.
/// </summary>
/// <remarks>
/// A router's own stages (<see cref="Router.Use(IUsrvStage)"/>) run around every request, in the order added, after the
/// limits and the access log and before the envelope: they see a sealed request still sealed, and a sealed answer
/// already sealed, whose signed body must not be changed (headers may be added). Stages of one endpoint
/// (<see cref="UseStageAttribute"/>, <see cref="BindOptions.Stages"/>) run after routing, inside the envelope: they see
/// the opened request, <see cref="UsrvRequest.Sender"/> and <see cref="UsrvRequest.Binding"/>, and the plain answer.
/// A stage fails with a <see cref="ProblemException"/> to answer a problem; any other exception is a 500.
/// Stages are shared by all requests: keep per-request state in locals.
/// </remarks>
/// <example><code>
/// sealed class TimingStage : IUsrvStage
/// {
///     public async ValueTask&lt;UsrvResponse&gt; InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
///     {
///         var started = Stopwatch.GetTimestamp();
///         var response = await next(request);
///         return response.WithHeader("Server-Timing", $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}");
///     }
/// }
/// </code></example>
public interface IUsrvStage
{
    /// <summary>Answers <paramref name="request"/>, usually by calling <paramref name="next"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="next">The rest of the pipeline.</param>
    /// <returns>The answer: the one <paramref name="next"/> gave, a changed one, or one of the stage's own.</returns>
    /// <exception cref="ProblemException">The stage refuses the request (answered as RFC 9457 problem details).</exception>
    ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next);
}
