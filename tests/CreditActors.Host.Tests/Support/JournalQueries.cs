using Npgsql;

namespace CreditActors.Host.Tests.Support;

/// <summary>Reads a PostgreSQL journal directly, as an auditor would, to check what the API acknowledged.</summary>
public sealed class JournalQueries(string connectionString)
{
    public sealed record Row(string PersistenceId, long SequenceNr, string Manifest, string Json, string? WriterUuid);

    public async Task<List<Row>> RowsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT persistence_id, sequence_number, manifest, convert_from(message, 'UTF8'), writer_uuid FROM journal ORDER BY ordering", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        return rows;
    }

    /// <summary>The value of one field of each event of a kind, e.g. every holdId of credit-hold-placed.</summary>
    public static IEnumerable<string> Field(IEnumerable<Row> rows, string manifest, string field) =>
        rows.Where(r => r.Manifest == manifest)
            .Select(r => System.Text.Json.JsonDocument.Parse(r.Json).RootElement.GetProperty(field).GetString()!);
}
