package dev.sightline.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The MaxMind-format files found at the configured path. Several files are normal: the DB-IP
 * lite package ships IPv4 and IPv6 in separate files, so an address is looked up in each file
 * that can hold it until one answers.
 */
final class GeoIpDatabase implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(GeoIpDatabase.class);

    /** Addresses answered recently: a visitor sends many events from one address. */
    private static final int REMEMBERED_ADDRESSES = 100_000;

    private final List<Reader> readers;
    private final List<Path> files;
    private final Cache<InetAddress, Optional<GeoLocation>> answers =
            Caffeine.newBuilder().maximumSize(REMEMBERED_ADDRESSES).build();

    private GeoIpDatabase(List<Reader> readers, List<Path> files) {
        this.readers = List.copyOf(readers);
        this.files = List.copyOf(files);
    }

    /** Opens every .mmdb file at {@code path} (a file or a folder); none found means an empty database. */
    static GeoIpDatabase open(Path path) {
        List<Path> files = find(path);
        List<Reader> readers = new ArrayList<>();
        try {
            for (Path file : files) {
                readers.add(new Reader(file.toFile(), new CHMCache()));
            }
        } catch (IOException e) {
            readers.forEach(GeoIpDatabase::closeQuietly);
            throw new UncheckedIOException("cannot open GeoIP database " + files, e);
        }
        if (files.isEmpty()) {
            log.warn("no GeoIP database (.mmdb) at {}: events get no $geoip_* properties (run scripts/geoip-db)",
                    path.toAbsolutePath());
        } else {
            log.info("GeoIP databases: {}", files);
        }
        // IPv4-only files first: an IPv4 address is answered there without touching the IPv6 tree.
        readers.sort(Comparator.comparingInt(r -> r.getMetadata().ipVersion()));
        return new GeoIpDatabase(readers, files);
    }

    List<Path> files() {
        return files;
    }

    Optional<GeoLocation> lookup(InetAddress address) {
        return readers.isEmpty() ? Optional.empty() : answers.get(address, this::read);
    }

    private Optional<GeoLocation> read(InetAddress address) {
        boolean v6 = address instanceof Inet6Address;
        for (Reader reader : readers) {
            if (v6 && reader.getMetadata().ipVersion() == 4) {
                continue;
            }
            try {
                Map<?, ?> record = reader.get(address, Map.class);
                if (record != null) {
                    Optional<GeoLocation> location = GeoLocation.fromRecord(record);
                    if (location.isPresent()) {
                        return location;
                    }
                }
            } catch (IOException e) {
                log.debug("GeoIP lookup of {} failed", address, e);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        readers.forEach(GeoIpDatabase::closeQuietly);
    }

    private static List<Path> find(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".mmdb") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Reader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // closing a memory-mapped file cannot lose data
        }
    }
}
