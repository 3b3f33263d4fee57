namespace Usrv.Route;

/// <summary>
/// Thrown at bind time when a method, lambda or pattern cannot become an endpoint: a malformed
/// pattern, an unknown segment type, a parameter the binder cannot fill, a return type that can
/// never carry a status, or a second binding of the same HTTP method and pattern.
/// Nothing is ever bound half-way: the router is unchanged when this is thrown.
/// </summary>
public sealed class BindingException : Exception
{
    /// <summary>Creates the exception with a message that says what to change.</summary>
    public BindingException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public BindingException(string message, Exception inner) : base(message, inner) { }
}
