"""A minimal HTTP CONNECT proxy for the webhook's end-to-end tests.

    python3 connect_proxy.py PORT_FILE LOG_FILE

Listens on 127.0.0.1 (a free port, written to PORT_FILE), logs one line per request ("CONNECT host:port auth=True"),
answers CONNECT with 200 and relays bytes both ways; anything else gets 405.
"""
import asyncio
import os
import sys


async def relay(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(reader, writer, log):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        writer.close()
        return
    lines = head.split(b"\r\n")
    method, target, _ = lines[0].decode("latin-1").split(" ", 2)
    authorized = any(line.lower().startswith(b"proxy-authorization: basic ") for line in lines[1:])
    log.write(f"{method} {target} auth={authorized}\n")
    log.flush()
    if method != "CONNECT":
        writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        writer.close()
        return
    host, port = target.rsplit(":", 1)
    upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
    writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
    await writer.drain()
    await asyncio.gather(relay(reader, upstream_writer), relay(upstream_reader, writer))


async def main():
    port_file, log_path = sys.argv[1], sys.argv[2]
    log = open(log_path, "a", encoding="utf-8")
    server = await asyncio.start_server(lambda r, w: handle(r, w, log), "127.0.0.1", 0)
    with open(port_file + ".tmp", "w", encoding="utf-8") as out:
        out.write(str(server.sockets[0].getsockname()[1]))
    os.replace(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


asyncio.run(main())
