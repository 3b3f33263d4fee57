namespace Usrv.Route.Client;

/// <summary>How a <see cref="Peer"/> seals the calls it makes to a server key (<see cref="PeerOptions.Scheme"/>).</summary>
public enum SealScheme
{
    /// <summary>usrv/2 (DESIGN, Sealed calls: the usrv/2 scheme): HPKE auth mode, AES-256-GCM, every part bound. The default.</summary>
    Usrv2,

    /// <summary>
    /// usrv 0.4.3's scheme (DESIGN, Talking to usrv 0.4 peers), to call a Python usrv 0.4 server or a server started with
    /// <c>--accept-usrv04</c>. <b>Insecure</b>: AES-256-CTR without a tag, and nothing binds the sender, so anyone who
    /// sees a call can re-sign it as their own and read the answer. The answer is still checked against the server key
    /// the peer expects.
    /// </summary>
    Usrv04,
}
