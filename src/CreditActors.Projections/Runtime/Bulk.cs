using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CreditActors.Projections.Runtime;

/// <summary>
/// Set-based writes for a batch: many rows in one statement (a round trip to PostgreSQL per chunk rather than per row):
/// multi-row VALUES, and on PostgreSQL UPDATE ... FROM a VALUES list named by WITH (on SQLite, in process, a statement per row).
/// </summary>
public static class Bulk
{
    /// <summary>Parameters per statement, well under SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    private const int MaximumParameters = 8_000;

    /// <summary>Inserts the rows, each an array of the columns' values in order.</summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, string table, string[] columns, IReadOnlyList<object?[]> rows)
    {
        foreach (var chunk in rows.Chunk(Math.Max(1, MaximumParameters / columns.Length)))
        {
            var (values, parameters) = Values(chunk, columns.Length, null);
            await connection.ExecuteAsync($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {values}", parameters, transaction);
        }
    }

    /// <summary>
    /// Updates the table from the rows: a VALUES list named v with the given columns and SQL types, joined by
    /// <paramref name="match"/>; <paramref name="set"/> may use v's columns and the table's. Returns the rows updated.
    /// </summary>
    public static async Task<int> UpdateAsync(DbConnection connection, DbTransaction transaction, string table, (string Name, string Type)[] columns,
        IReadOnlyList<object?[]> rows, string set, string match)
    {
        var updated = 0;
        if (connection is SqliteConnection)
        {
            // In process, a statement costs no round trip, and SQLite may plan UPDATE ... FROM as a scan of the table for each
            // row of v: one prepared statement per row instead, v's columns as parameters.
            var single = $"UPDATE {table} SET {Parameters(set, columns)} WHERE {Parameters(match, columns)}";
            foreach (var row in rows)
            {
                var parameters = new DynamicParameters();
                for (var i = 0; i < columns.Length; i++)
                    parameters.Add(columns[i].Name, row[i]);
                updated += await connection.ExecuteAsync(single, parameters, transaction);
            }
            return updated;
        }
        var names = string.Join(", ", columns.Select(c => c.Name));
        foreach (var chunk in rows.Chunk(Math.Max(1, MaximumParameters / columns.Length)))
        {
            var (values, parameters) = Values(chunk, columns.Length, columns.Select(c => c.Type).ToArray());
            updated += await connection.ExecuteAsync($"WITH v ({names}) AS (VALUES {values}) UPDATE {table} SET {set} FROM v WHERE {match}",
                parameters, transaction);
        }
        return updated;
    }

    /// <summary>The SQL with each of v's columns (v.name) read as a parameter (@name).</summary>
    private static string Parameters(string sql, (string Name, string Type)[] columns) =>
        columns.Aggregate(sql, (text, column) => Regex.Replace(text, $@"\bv\.{column.Name}\b", "@" + column.Name));

    private static (string Sql, DynamicParameters Parameters) Values(object?[][] rows, int width, string[]? types)
    {
        var sql = new StringBuilder();
        var parameters = new DynamicParameters();
        var n = 0;
        foreach (var row in rows)
        {
            sql.Append(sql.Length == 0 ? "(" : ", (");
            for (var i = 0; i < width; i++)
            {
                var name = $"p{n++}";
                parameters.Add(name, row[i]);
                // Typed, so that a NULL or a number reads as the column's type on PostgreSQL.
                sql.Append(i == 0 ? "" : ", ").Append(types is null ? $"@{name}" : $"CAST(@{name} AS {types[i]})");
            }
            sql.Append(')');
        }
        return (sql.ToString(), parameters);
    }
}
