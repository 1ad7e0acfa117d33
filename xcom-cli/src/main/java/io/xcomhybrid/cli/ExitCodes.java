package io.xcomhybrid.cli;

/** The command's exit codes. */
final class ExitCodes
{
    static final int OK = 0;
    static final int NO_SUCH_XCOM = 1;
    static final int USAGE = 2;
    static final int STORAGE = 3;

    private ExitCodes() {}
}
