package io.sluice.sql;

/**
 * A query that cannot run: a syntax error, an unknown table or column, a type error, or a construct Sluice does not
 * support. The message names the construct and where it is ({@code line:column}, 1-based); nothing of the query has
 * run when this is thrown.
 */
public final class SqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    SqlException(final String message, final int line, final int column, final Throwable cause) {
        super(message + " at line " + line + ", column " + column, cause);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the construct in the query text. */
    public int line() {
        return line;
    }

    /** 1-based column of the construct in the query text. */
    public int column() {
        return column;
    }
}
