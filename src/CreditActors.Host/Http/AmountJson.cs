using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditActors.Host.Http;

/// <summary>
/// Amounts in and out of the API without trailing zeros: 1.100 is read and echoed as 1.1. An amount that fits its
/// currency then never carries more decimals than the currency has, in an answer or in an event (the domain refuses one
/// whose digits do not fit). Events written before this was so are shown normalised too.
/// </summary>
public sealed class AmountJson : JsonConverter<decimal>
{
    /// <summary>1 with the largest scale a decimal holds: dividing by it drops every trailing zero and nothing else.</summary>
    private const decimal OneAtFullScale = 1.0000000000000000000000000000m;

    public static decimal Normalize(decimal amount) => amount / OneAtFullScale;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var amount)
            ? Normalize(amount)
            : throw new JsonException("The value could not be converted to a decimal number.");

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Normalize(value));
}
