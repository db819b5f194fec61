#!/usr/bin/python3
"""The Pillow strip-blur example from a Python multiprocessing tutorial, runnable: the peer of
`pblur --filter pil-blur --procs 2` in tools/bench_stream.py.

Usage:
  pillow_strip_blur.py INPUT OUTPUT [PROCESSES]    (PROCESSES: default 2)

As the example does: opens the image, cuts it into PROCESSES horizontal strips of height //
PROCESSES rows (the remainder rows are dropped, as in the example), starts one
multiprocessing.Process per strip that applies ImageFilter.BLUR and puts (index, strip) on a
multiprocessing.Queue, pastes the strips back in order into a new RGB image and saves it (a
JPEG at Pillow's default quality, 75). Each strip is blurred without its neighbours' rows, so
the seams differ from a whole-image BLUR; that is the example's behaviour, kept.

Changes from the example, each needed to run it: the file names and the number of processes
are arguments (the example hard-codes "imagen.jpg" and multiprocessing.cpu_count()), and the
results are taken from the queue before the processes are joined: the example joins first,
which deadlocks as soon as a strip is larger than the pipe's buffer (a child cannot exit until
its queued strip is read; see "Joining processes that use queues" in the multiprocessing docs).
"""

import multiprocessing
import sys

from PIL import Image, ImageFilter


def aplicar_filtro(imagen, filtro, resultado, indice):
    imagen_filtrada = imagen.filter(filtro)
    resultado.put((indice, imagen_filtrada))


def main(entrada, salida, num_procesos):
    # Abrir la imagen
    imagen_original = Image.open(entrada)

    # Definir el filtro a aplicar
    filtro = ImageFilter.BLUR

    # Dividir la imagen en partes iguales para cada proceso
    ancho, alto = imagen_original.size
    tamano_subimagen = alto // num_procesos
    subimagenes = [(0, i * tamano_subimagen, ancho, (i + 1) * tamano_subimagen) for i in range(num_procesos)]

    # Crear un objeto Queue para recopilar los resultados de los procesos
    resultados = multiprocessing.Queue()

    # Crear y ejecutar los procesos
    procesos = []
    for i, (x0, y0, x1, y1) in enumerate(subimagenes):
        subimagen = imagen_original.crop((x0, y0, x1, y1))
        p = multiprocessing.Process(target=aplicar_filtro, args=(subimagen, filtro, resultados, i))
        procesos.append(p)
        p.start()

    # Recoger los resultados antes de esperar a los procesos (el ejemplo espera primero: bloqueo)
    resultados_ordenados = [resultados.get() for _ in range(num_procesos)]

    # Esperar a que todos los procesos terminen
    for p in procesos:
        p.join()

    # Ordenar los resultados y reconstruir la imagen filtrada
    resultados_ordenados.sort()
    subimagenes_filtradas = [imagen for indice, imagen in resultados_ordenados]
    imagen_filtrada = Image.new("RGB", (ancho, alto))
    y = 0
    for subimagen_filtrada in subimagenes_filtradas:
        imagen_filtrada.paste(subimagen_filtrada, (0, y))
        y += subimagen_filtrada.size[1]

    # Guardar la imagen filtrada
    imagen_filtrada.save(salida)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and not sys.argv[3].isdigit()):
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 2)
