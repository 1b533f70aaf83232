"""What a tool inside the sandbox does to reach the network, as the egress tests drive it.

usage: egress-client.py get URL            plain HTTP through HTTP_PROXY (absolute form)
       egress-client.py tunnel HOST PORT   CONNECT through HTTPS_PROXY, then a plain request
       egress-client.py direct ADDRESS PORT  a TCP connection that bypasses the proxy
Prints the answer's status and body, or the error, on one or two lines; never raises.
"""
import http.client
import os
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request


def main() -> None:
    mode = sys.argv[1]
    try:
        if mode == "get":
            with urllib.request.urlopen(sys.argv[2], timeout=15) as response:
                print(response.status, response.read().decode().strip())
        elif mode == "tunnel":
            proxy = urllib.parse.urlsplit(os.environ["HTTPS_PROXY"])
            connection = http.client.HTTPConnection(proxy.hostname, proxy.port, timeout=15)
            connection.set_tunnel(sys.argv[2], int(sys.argv[3]))
            connection.request("GET", "/through-the-tunnel")
            response = connection.getresponse()
            print(response.status, response.read().decode().strip())
        elif mode == "direct":
            socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=5).close()
            print("connected directly")
    except urllib.error.HTTPError as error:
        print(error.code, error.read().decode().strip())
    except OSError as error:
        print("error", error)


main()
