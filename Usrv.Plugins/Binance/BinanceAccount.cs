namespace Usrv.Plugins.Binance;

/// <summary>The account's information (<c>GET /api/v3/account</c>, USER_DATA, signed; Binance Spot API).</summary>
/// <param name="MakerCommission">Maker commission in basis points.</param>
/// <param name="TakerCommission">Taker commission in basis points.</param>
/// <param name="BuyerCommission">Buyer commission in basis points.</param>
/// <param name="SellerCommission">Seller commission in basis points.</param>
/// <param name="CanTrade">Whether the account may trade.</param>
/// <param name="CanWithdraw">Whether the account may withdraw.</param>
/// <param name="CanDeposit">Whether the account may deposit.</param>
/// <param name="UpdateTime">Last update, in milliseconds since the Unix epoch.</param>
/// <param name="AccountType">E.g. <c>SPOT</c>.</param>
/// <param name="Balances">The balance of each asset.</param>
/// <param name="Permissions">E.g. <c>SPOT</c>.</param>
public sealed record BinanceAccount(
    int MakerCommission,
    int TakerCommission,
    int BuyerCommission,
    int SellerCommission,
    bool CanTrade,
    bool CanWithdraw,
    bool CanDeposit,
    long UpdateTime,
    string AccountType,
    IReadOnlyList<BinanceBalance> Balances,
    IReadOnlyList<string> Permissions);
