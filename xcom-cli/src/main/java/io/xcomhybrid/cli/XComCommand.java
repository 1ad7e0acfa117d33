package io.xcomhybrid.cli;

import io.xcomhybrid.InvalidXComValueException;
import io.xcomhybrid.NoSuchXComException;
import io.xcomhybrid.XComStorageException;
import io.xcomhybrid.XComs;
import io.xcomhybrid.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** {@code xcom [--config FILE] COMMAND}: the command-line face of the library. */
@Command(name = "xcom",
        mixinStandardHelpOptions = true,
        versionProvider = XComCommand.Version.class,
        description = "Push, pull and manage Airflow XComs stored the way Airflow's object-storage XCom backend stores them.",
        subcommands = {
                PushCommand.class,
                PullCommand.class,
                ListCommand.class,
                ShowCommand.class,
                DeleteCommand.class,
                ClearCommand.class,
                GcCommand.class,
                DoctorCommand.class,
                CommandLine.HelpCommand.class,
        },
        footer = {
                "",
                "Configuration: --config FILE, else $XCOM_CONFIG, else $AIRFLOW_HOME/airflow.cfg, else the embedded default%n"
                        + "(SQLite and local files under ./xcom-data). AIRFLOW__SECTION__KEY variables always apply on top.",
                "",
                "Exit codes: 0 done, 1 no such XCom, 2 usage or configuration error, 3 storage or database error."})
public final class XComCommand
        implements Runnable
{
    @Option(names = "--config", paramLabel = "FILE", description = "Airflow-style ini file (airflow.cfg)", scope = CommandLine.ScopeType.INHERIT)
    Path config;

    @Option(names = "--verbose", description = "Print stack traces of errors", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Where commands read the environment and working directory; tests run the command in-process with their own. */
    Map<String, String> environment = System.getenv();
    Path workingDirectory = Path.of("").toAbsolutePath();

    public static void main(String[] args)
    {
        System.exit(execute(args));
    }

    static int execute(String... args)
    {
        return newCommandLine(new XComCommand()).execute(args);
    }

    static CommandLine newCommandLine(XComCommand command)
    {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setUsageHelpWidth(120);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            int code = exitCode(exception);
            err.println("xcom: " + message(exception));
            if (command.verbose) {
                exception.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            PrintWriter err = exception.getCommandLine().getErr();
            err.println("xcom: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    static int exitCode(Throwable exception)
    {
        if (exception instanceof NoSuchXComException) {
            return ExitCodes.NO_SUCH_XCOM;
        }
        if (exception instanceof ConfigException || exception instanceof InvalidXComValueException
                || exception instanceof IllegalArgumentException || exception instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        if (exception instanceof XComStorageException || exception instanceof IOException || exception instanceof UncheckedIOException) {
            return ExitCodes.STORAGE;
        }
        return ExitCodes.STORAGE;
    }

    private static String message(Throwable exception)
    {
        String message = exception.getMessage();
        return message == null ? exception.getClass().getSimpleName() : message;
    }

    ConfigResolver.Resolved resolveConfig()
    {
        return ConfigResolver.resolve(Optional.ofNullable(config), environment, workingDirectory);
    }

    XComs openXComs()
    {
        return XComs.open(resolveConfig().config());
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version
            implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            String version = XComCommand.class.getPackage().getImplementationVersion();
            return new String[] {"xcom " + (version == null ? "development build" : version)};
        }
    }
}
