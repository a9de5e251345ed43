import socket, sys, time
s = socket.socket()
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(0)
# Fill the accept queue so later SYNs are dropped and connects hang.
held = []
for i in range(3):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(('127.0.0.1', int(sys.argv[1])))
    except BlockingIOError: pass
    held.append(c)
time.sleep(120)
