package dev.portico.compiler.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS client for tests of HTTPS listeners: they check which certificate a listener serves, so it
 * trusts any certificate.
 */
public final class TlsProbe {
  private TlsProbe() {}

  /**
   * A handshaken connection to {@code 127.0.0.1:port}.
   *
   * @param sni the server name to send, or null for none
   * @param alpn the protocols to offer
   */
  public static SSLSocket connect(int port, String sni, String... alpn)
      throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    p.setApplicationProtocols(alpn);
    s.setSSLParameters(p);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  /**
   * The certificate the server presented on {@code s}, base64 DER (compare {@link
   * TestCertificates.Issued#certificateDer()}).
   */
  public static String served(SSLSocket s) throws IOException {
    try {
      return Base64.getEncoder()
          .encodeToString(((X509Certificate) s.getSession().getPeerCertificates()[0]).getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IOException(e);
    }
  }

  /** Which certificate is served is what the tests check; trust is not. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
