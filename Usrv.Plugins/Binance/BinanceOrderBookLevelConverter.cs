using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Usrv.Plugins.Binance;

/// <summary>Reads and writes a <see cref="BinanceOrderBookLevel"/> as Binance's <c>["price", "quantity"]</c> pair.</summary>
internal sealed class BinanceOrderBookLevelConverter : JsonConverter<BinanceOrderBookLevel>
{
    public override BinanceOrderBookLevel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("an order book level is a [price, quantity] array");
        reader.Read();
        var price = Number(ref reader);
        reader.Read();
        var quantity = Number(ref reader);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip(); // later Binance versions may add items
        }
        return new BinanceOrderBookLevel(price, quantity);
    }

    public override void Write(Utf8JsonWriter writer, BinanceOrderBookLevel value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(BinanceWire.Text(value.Price));
        writer.WriteStringValue(BinanceWire.Text(value.Quantity));
        writer.WriteEndArray();
    }

    private static decimal Number(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => decimal.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonTokenType.Number => reader.GetDecimal(),
        _ => throw new JsonException("an order book price or quantity is a decimal string"),
    };
}
