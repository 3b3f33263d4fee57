using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>One sealed call on the client's side, whatever its scheme (<see cref="SealedCall"/>, <see cref="Usrv04SealedCall"/>).</summary>
internal interface ISealedCall : IDisposable
{
    /// <summary>Checks the answer and opens its body.</summary>
    /// <returns>The plaintext and the key that signed it; for a plain 4xx/5xx, the body as received and <c>null</c>.</returns>
    /// <exception cref="UntrustedResponseException">A plain answer below 400, or a sealed answer that does not check or open.</exception>
    (byte[] Body, PublicKey? SealedBy) Open(HttpResponseMessage response, byte[] body);
}
