namespace Usrv.Route;

/// <summary>
/// Produces one parameter's value for each request (the per-request step, "parameter binding"); made once, at bind
/// time, by an <see cref="IParameterSource"/>. Implementations do no reflection and keep no per-request state.
/// </summary>
public abstract class ParameterBinder
{
    /// <summary>
    /// True when the value needs the request body: the parameters stage then reads the body once (into
    /// <see cref="ParameterBindingContext.Body"/> or <see cref="ParameterBindingContext.Form"/>) before any value is made.
    /// </summary>
    public virtual bool ReadsBody => false;

    /// <summary>
    /// The query or path name this binder takes its value from, or <c>null</c>; such names are not handed again to usrv's
    /// <c>*args</c> and <c>**kwargs</c>.
    /// </summary>
    public virtual string? ValueName => null;

    /// <summary>The parameter's value for one request.</summary>
    /// <param name="context">The request, its query, route values and body.</param>
    /// <exception cref="ProblemException">The request cannot give the value (400 for a bad or missing value, 415 for a
    /// body of the wrong kind).</exception>
    public abstract object? GetValue(ParameterBindingContext context);

    /// <summary>A binder that calls <paramref name="getValue"/> per request.</summary>
    /// <param name="getValue">Makes the value from the request.</param>
    /// <param name="readsBody">True when <paramref name="getValue"/> reads the body (see <see cref="ReadsBody"/>).</param>
    public static ParameterBinder From(Func<ParameterBindingContext, object?> getValue, bool readsBody = false)
    {
        ArgumentNullException.ThrowIfNull(getValue);
        return new DelegateBinder(getValue, readsBody);
    }

    private sealed class DelegateBinder(Func<ParameterBindingContext, object?> getValue, bool readsBody) : ParameterBinder
    {
        public override bool ReadsBody => readsBody;

        public override object? GetValue(ParameterBindingContext context) => getValue(context);
    }
}
