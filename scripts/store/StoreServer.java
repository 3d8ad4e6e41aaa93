// The local MongoDB-wire store: mongo-java-server on its H2 (MVStore) backend.
//
//   java -cp 'JARS' scripts/store/StoreServer.java HOST PORT DATA_FILE
//
// Two things the library's defaults do not give, both measured (see the README,
// "Why these parts"):
// - PyMongo 4.x refuses servers below wire version 13; the default reports 8.
// - H2Backend(fileName) commits only about once a second and nothing closes it on
//   SIGTERM, so a stop lost most recent writes. The store here auto-commits every
//   100 ms (MongoDB's default journal interval) and a shutdown hook stops the
//   server and closes the store, so a graceful stop loses nothing.
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.util.List;
import org.h2.mvstore.MVStore;

public class StoreServer {
    /** Reports MongoDB 5.0 with wire version 13, the oldest PyMongo 4.x accepts. */
    enum Wire13 implements MongoVersion {
        MONGO_5_0_WIRE_13;

        @Override
        public List<Integer> getVersionArray() {
            return List.of(5, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 13;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: StoreServer HOST PORT DATA_FILE");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        MVStore store = new MVStore.Builder()
                .fileName(args[2])
                .open();
        store.setAutoCommitDelay(100);
        H2Backend backend = new H2Backend(store);
        backend.version(Wire13.MONGO_5_0_WIRE_13);
        MongoServer server = new MongoServer(backend);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            backend.close();
            System.err.println("store closed");
        }, "store-shutdown"));
        server.bind(host, port);
        System.err.println("store listening on " + host + ":" + port);
        Thread.currentThread().join();
    }
}
