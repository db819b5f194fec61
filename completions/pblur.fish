# fish completion for pblur

set -l pblur_filters gaussian box median pil-blur pil-contour pil-detail pil-edge-enhance \
    pil-edge-enhance-more pil-emboss pil-find-edges pil-sharpen pil-smooth pil-smooth-more \
    pil-kernel pil-median pil-min pil-max pil-rank pil-mode pil-gaussian pil-box pil-unsharp \
    unsharp bilateral kernel erode dilate open close gradient tophat blackhat sobel scharr \
    laplacian min max
set -l no_command "not __fish_seen_subcommand_from batch bench"
set -l batch "__fish_seen_subcommand_from batch"
set -l bench "__fish_seen_subcommand_from bench"
set -l not_bench "not __fish_seen_subcommand_from bench"

complete -c pblur -n $no_command -f -a batch -d "Filter every image of a folder"
complete -c pblur -n $no_command -f -a bench -d "Measure processes against threads"
complete -c pblur -n $no_command -F

complete -c pblur -s h -l help -d "Print the help and exit"
complete -c pblur -l version -d "Print the version and exit"

# Filters: every command.
complete -c pblur -l filter -x -a "$pblur_filters" -d "Filter NAME[:KEY=VALUE,...], repeatable"
complete -c pblur -l sigma -x -d "Gaussian standard deviation in pixels"
complete -c pblur -l ksize -x -d "Kernel side"
complete -c pblur -l border -x -a "reflect101 replicate reflect constant" -d "Edge handling"

# Running: pblur and pblur batch.
complete -c pblur -n $not_bench -s j -l procs -x -d "N forked worker processes"
complete -c pblur -n $not_bench -l jobs -x -d "N forked worker processes (--procs)"
complete -c pblur -n $not_bench -s o -l output -r -F -d "The output"
complete -c pblur -n $not_bench -l threads -x -d "N oneTBB threads"
complete -c pblur -n $not_bench -l seq -d "One thread, one call: the reference"
complete -c pblur -n $not_bench -l strips -x -d "Horizontal strips"
complete -c pblur -n $not_bench -l transport -x -a "shared copy" -d "How pixels reach workers"
complete -c pblur -n $not_bench -l strip-timeout -x -d "Seconds a worker may spend on a strip"
complete -c pblur -n $not_bench -l quality -x -d "JPEG and WebP quality, 1-100"
complete -c pblur -n $not_bench -l lossless -d "Write WebP without loss"
complete -c pblur -n $not_bench -l keep -x -a "all none exif icc xmp iptc" -d "Metadata kept"
complete -c pblur -n $not_bench -l max-pixels -x -d "Refuse inputs with more pixels"
complete -c pblur -n $not_bench -l alpha -x -a "premultiplied straight" -d "How gaussian and box blur BGRA"
complete -c pblur -n $not_bench -l linear -d "Gaussian and box blur in linear light"
complete -c pblur -n $not_bench -l depth -x -a "8" -d "Write 16-bit images with 8 bits"
complete -c pblur -n $not_bench -l flatten -d "Composite BGRA over COLOR (white)"
complete -c pblur -n $not_bench -s v -l verbose -d "Print the settings and the time of each phase"
complete -c pblur -s q -l quiet -d "Print nothing but errors"

# pblur batch
complete -c pblur -n $batch -s r -l recursive -d "Also the images in subfolders"
complete -c pblur -n $not_bench -l format -x -a "jpg png tif webp bmp ppm pgm jp2" -d "Output format"
complete -c pblur -n $not_bench -l suffix -x -d "Append TEXT to each output's name"
complete -c pblur -n $not_bench -l overwrite -d "Redo outputs that are up to date"
complete -c pblur -n $batch -l shard -x -d "K/N: filter only share K of N"
complete -c pblur -n $batch -l split -x -a "auto images strips" -d "How work is split"
complete -c pblur -n $not_bench -l report -r -F -d "Per-file results as JSON"
complete -c pblur -n $batch -s n -l dry-run -d "List what would be done, and why; write nothing"
complete -c pblur -n $batch -l fail-fast -d "Stop at the first image that fails"
complete -c pblur -n $batch -l halt -x -a "never now,fail=1" -d "now,fail=N: stop once N images failed"
complete -c pblur -n $batch -F

# pblur bench
complete -c pblur -n $bench -l batch -x -a "(__fish_complete_directories)" -d "Time pblur batch on a folder"
complete -c pblur -n $bench -s r -l recursive -d "With --batch: also subfolders"
complete -c pblur -n $bench -l workers -x -d "Worker counts, e.g. 1,2,4"
complete -c pblur -n $bench -l repeat -x -d "Timed runs per configuration"
complete -c pblur -n $bench -l warmup -x -d "Untimed runs per configuration"
complete -c pblur -n $bench -l json -r -F -d "Every run as JSON"
complete -c pblur -n $bench -l csv -r -F -d "One row per configuration as CSV"
complete -c pblur -n $bench -l plot -r -F -d "Chart to FILE.png or FILE.svg"
complete -c pblur -n $bench -s v -l verbose -d "Print the settings and each run as it ends"
complete -c pblur -n $bench -F
