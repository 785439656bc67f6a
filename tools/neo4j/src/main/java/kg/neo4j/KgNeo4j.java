package kg.neo4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.commandline.admin.security.PasswordCommand;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.logging.Level;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

/**
 * Local Neo4j (community) server for kg tests and CI: embedded DBMS with the Bolt
 * connector on 127.0.0.1, auth on, user neo4j with the password from NEO4J_PASSWORD,
 * LOAD CSV confined to the import folder (DIR/import).
 *
 * Usage: KgNeo4j --home DIR [--bolt-port 7687] [--pagecache-mb 256]
 *
 * The initial password is seeded exactly as `neo4j-admin dbms set-initial-password`
 * (SetInitialPasswordCommand) does it: a user "neo4j" with a SystemGraphCredential is
 * written to data/dbms/auth.ini before the first start; the system database imports it
 * when it is created. So Bolt never accepts the default neo4j/neo4j login.
 * The password is read from the environment only, never from argv, and never logged.
 */
public final class KgNeo4j {
    private KgNeo4j() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int boltPort = 7687;
        long pagecacheMb = 256;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--home" -> { home = Path.of(require(a, v)); i++; }
                case "--bolt-port" -> { boltPort = Integer.parseInt(require(a, v)); i++; }
                case "--pagecache-mb" -> { pagecacheMb = Long.parseLong(require(a, v)); i++; }
                default -> fail("unknown argument: " + a);
            }
        }
        if (home == null) {
            fail("--home DIR is required");
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            fail("NEO4J_PASSWORD must be set and non-empty");
        }
        home = home.toAbsolutePath().normalize();
        Files.createDirectories(home);

        SocketAddress bolt = new SocketAddress("127.0.0.1", boltPort);
        Map<Setting<?>, Object> settings = new LinkedHashMap<>();
        settings.put(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"));
        settings.put(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"));
        settings.put(BoltConnector.enabled, true);
        settings.put(BoltConnector.listen_address, bolt);
        settings.put(BoltConnector.advertised_address, bolt);
        settings.put(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        // The embedded DBMS has no web server; keep the HTTP(S) connectors explicitly off.
        settings.put(HttpConnector.enabled, false);
        settings.put(HttpsConnector.enabled, false);
        settings.put(GraphDatabaseSettings.auth_enabled, true);
        // Local test server: accept short passwords too (the server default minimum is 8).
        settings.put(GraphDatabaseSettings.auth_minimum_password_length, 1);
        // No lock-out after failed logins (default: 3 failures lock the user for 5 s, even with
        // the right password), so a test that checks a wrong password cannot break the next test.
        settings.put(GraphDatabaseSettings.auth_max_failed_attempts, 0);
        settings.put(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb));
        // LOAD CSV file:/// URLs resolve inside <home>/import only (server.directories.import).
        // Unset, an embedded DBMS resolves them from the file system's root, so even a read
        // transaction could return the lines of /etc/passwd or of the user's own files.
        Path importDir = home.resolve("import");
        Files.createDirectories(importDir);
        settings.put(GraphDatabaseSettings.load_csv_file_url_root, importDir);
        settings.put(GraphDatabaseSettings.preallocate_logical_logs, false);
        settings.put(GraphDatabaseSettings.udc_enabled, false); // dbms.usage_report.enabled
        // Bolt's netty event loops wait a 5 s quiet period (twice) on shutdown; the DBMS is
        // already checkpointed by then, so do not idle: stop takes under 1 s instead of ~10 s.
        settings.put(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        settings.put(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5));

        seedInitialPassword(home, settings, password);

        Log4jLogProvider userLog = new Log4jLogProvider(System.out, Level.INFO);
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(settings)
                    .setUserLogProvider(userLog)
                    .build();
        } catch (Throwable t) {
            // e.g. the Bolt port is taken: exit instead of lingering with non-daemon threads
            t.printStackTrace();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("kg-neo4j: shutting down");
            try {
                dbms.shutdown();
            } finally {
                System.out.println("kg-neo4j: stopped");
                System.out.flush();
                stopped.countDown();
            }
        }, "kg-neo4j-shutdown"));

        System.out.println("kg-neo4j: started, bolt://" + bolt + " (user neo4j, auth on), home " + home
                + ", pid " + ProcessHandle.current().pid());
        System.out.flush();
        stopped.await();
    }

    /** Same steps as org.neo4j.commandline.admin.security.SetInitialPasswordCommand.execute(). */
    private static void seedInitialPassword(Path home, Map<Setting<?>, Object> settings, String password)
            throws Exception {
        Config config = Config.newBuilder()
                .set(GraphDatabaseSettings.neo4j_home, home)
                .set(settings)
                .build();
        Path systemDb = config.get(GraphDatabaseSettings.data_directory).resolve("databases").resolve("system");
        if (Files.exists(systemDb)) {
            System.out.println("kg-neo4j: WARNING existing system database in " + home
                    + "; the initial password only applies to a fresh data folder");
        }
        try (DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
            Path authFile = CommunitySecurityModule.getInitialUserRepositoryFile(config);
            fs.mkdirs(authFile.getParent());
            if (fs.fileExists(authFile)) {
                fs.deleteFile(authFile);
            }
            FileUserRepository repo = new FileUserRepository(
                    fs, authFile, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
            repo.start();
            PasswordCommand hasher = new PasswordCommand() {};
            repo.create(new User(
                    "neo4j", null,
                    hasher.createCredentialForPassword(password.getBytes(StandardCharsets.UTF_8)),
                    false, false));
            repo.shutdown();
        }
    }

    private static String require(String flag, String value) {
        if (value == null) {
            fail(flag + " needs a value");
        }
        return value;
    }

    private static void fail(String message) {
        System.err.println("kg-neo4j: " + message);
        System.exit(2);
    }
}
