-- Tickets for interactive exec sessions (ExecTickets), shared by every replica: a client's WebSocket
-- may reach any of them. Only SHA-256 digests of the token and of the password are kept. A ticket is
-- redeemed by one `delete ... returning`, so two replicas can never both redeem it; expired rows are
-- deleted whenever a ticket is issued.
create table exec_tickets (
    token_digest     bytea       primary key,
    password_digest  bytea       not null,
    host_id          text        not null,
    container_id     text        not null,
    argv             text[]      not null,
    terminal_rows    integer     not null,
    terminal_columns integer     not null,
    expires_at       timestamptz not null
);
create index exec_tickets_by_expiry on exec_tickets (expires_at);
