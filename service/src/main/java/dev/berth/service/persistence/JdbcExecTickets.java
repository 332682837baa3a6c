package dev.berth.service.persistence;

import dev.berth.service.workload.ExecTicketStore;
import dev.berth.service.workload.ExecTickets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Exec tickets in PostgreSQL (table exec_tickets), shared by every replica. */
public class JdbcExecTickets implements ExecTicketStore {

  private final JdbcTemplate jdbc;

  public JdbcExecTickets(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void keep(KeptTicket ticket, Instant now) {
    jdbc.update("delete from exec_tickets where expires_at < ?", Timestamp.from(now));
    ExecTickets.Session session = ticket.session();
    jdbc.update(
        connection -> {
          var statement =
              connection.prepareStatement(
                  """
                  insert into exec_tickets (token_digest, password_digest, host_id, container_id, argv,
                      terminal_rows, terminal_columns, expires_at)
                  values (?, ?, ?, ?, ?, ?, ?, ?)""");
          statement.setBytes(1, ticket.tokenDigest());
          statement.setBytes(2, ticket.passwordDigest());
          statement.setString(3, session.hostId());
          statement.setString(4, session.containerId());
          statement.setArray(5, connection.createArrayOf("text", session.argv().toArray()));
          statement.setInt(6, session.rows());
          statement.setInt(7, session.columns());
          statement.setTimestamp(8, Timestamp.from(ticket.expiresAt()));
          return statement;
        });
  }

  @Override
  public Optional<KeptTicket> take(byte[] tokenDigest) {
    // One statement takes the row: of concurrent takers on any replicas, PostgreSQL lets one delete
    // it and the others find nothing.
    return jdbc
        .query(
            """
            delete from exec_tickets where token_digest = ?
            returning token_digest, password_digest, host_id, container_id, argv, terminal_rows,
                      terminal_columns, expires_at""",
            (rs, n) ->
                new KeptTicket(
                    rs.getBytes("token_digest"),
                    rs.getBytes("password_digest"),
                    new ExecTickets.Session(
                        rs.getString("host_id"),
                        rs.getString("container_id"),
                        List.of((String[]) rs.getArray("argv").getArray()),
                        rs.getInt("terminal_rows"),
                        rs.getInt("terminal_columns")),
                    rs.getTimestamp("expires_at").toInstant()),
            (Object) tokenDigest)
        .stream()
        .findFirst();
  }
}
