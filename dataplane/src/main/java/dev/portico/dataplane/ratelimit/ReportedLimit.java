package dev.portico.dataplane.ratelimit;

/** What the response fields say about a limit: its name and its quota per window. */
public interface ReportedLimit {
  /** The limit's name alone, without namespace or policy. */
  String limitName();

  long requests();

  long windowSeconds();
}
