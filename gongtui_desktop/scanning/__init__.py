"""Reading scanned ballot papers: the sheet's geometry, the image analysis and a generator of
synthetic scans for tests and benchmarks.

Needs numpy, zxing-cpp (the QR code), pypdfium2 (scanner PDFs) and Qt's image classes
(QImage, QImageReader, QPainter: decoding and warping, no widgets); never SQL or the election
file. Bytes come in, readings go out: the services layer decides what becomes a paper and
what goes to adjudication. ``layout`` and ``readings`` are plain Python and load at start-up;
everything else loads when a ballot is printed or a scan is read.
"""
