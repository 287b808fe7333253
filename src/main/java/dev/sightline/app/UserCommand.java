package dev.sightline.app;

import dev.sightline.account.AccountError;
import dev.sightline.account.Accounts;
import dev.sightline.account.Role;
import dev.sightline.account.User;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbAccounts;
import dev.sightline.store.duckdb.DuckDbMeta;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sightline user create}: a user of the web app, made without the set-up page (while the server is stopped). */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users of the web app (while the server is stopped).",
        subcommands = {UserCommand.Create.class})
final class UserCommand {
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user. The password is read from standard input (one line) or SIGHTLINE_USER_PASSWORD, never from the command line.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Mixin Main.DataDirOption data = new Main.DataDirOption();
        @Option(names = "--email", required = true) String email;
        @Option(names = "--first-name", defaultValue = "") String firstName;
        @Option(names = "--role", defaultValue = "admin", description = "admin or member (default ${DEFAULT-VALUE}).") String role;
        @Option(names = "--organization", defaultValue = "1") long organization;

        @Override
        public Integer call() throws IOException {
            Role parsed = Role.parse(role).orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(this), "--role is admin or member"));
            String password = System.getenv("SIGHTLINE_USER_PASSWORD");
            if (password == null) {
                if (System.console() != null) {
                    char[] typed = System.console().readPassword("Password for %s: ", email);
                    password = typed == null ? "" : new String(typed);
                } else {
                    password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
            }
            try (Database db = Database.open(data.dataDir)) {
                DuckDbMeta meta = new DuckDbMeta(db);
                // a fresh data directory: the first start's organization and project, as the server would make them
                Bootstrap.ensureDefaults(meta, Config.defaults(data.dataDir), System.out);
                if (meta.organization(organization).isEmpty()) {
                    System.err.printf("organization %d does not exist%n", organization);
                    return 1;
                }
                User user = new Accounts(new DuckDbAccounts(db), meta, Clock.systemUTC()).createUser(organization, email, firstName, password, parsed);
                System.out.printf("user %d %s (%s) created in organization %d%n", user.id(), user.email(), user.role().wire(), organization);
                return 0;
            } catch (AccountError e) {
                System.err.println("sightline user create: " + e.getMessage());
                return 1;
            }
        }
    }
}
