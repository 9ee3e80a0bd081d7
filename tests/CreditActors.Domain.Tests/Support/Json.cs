using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditActors.Domain.Tests.Support;

/// <summary>Structural comparison of records that hold lists: compare their JSON.</summary>
public static class Json
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    public static string Of(object value) => value.GetType().Name + JsonSerializer.Serialize(value, value.GetType(), Options);

    public static string Of<T>(IEnumerable<T> values) where T : notnull => string.Join("\n", values.Select(v => Of(v)));
}
